#include "RestoreToc.h"

#include <QJsonObject>
#include <QStringList>

namespace pga {

namespace {

// pg_dump's object descriptions (pg_dump.c, pg_backup_archiver.c); several are more than one word, so the
// longest that fits is taken.
const QStringList &descriptions()
{
    static const QStringList d = [] {
        QStringList l{
            QStringLiteral("ACCESS METHOD"), QStringLiteral("ACL"), QStringLiteral("AGGREGATE"), QStringLiteral("BLOB"),
            QStringLiteral("BLOB METADATA"), QStringLiteral("BLOBS"), QStringLiteral("CAST"), QStringLiteral("CHECK CONSTRAINT"),
            QStringLiteral("COLLATION"), QStringLiteral("COMMENT"), QStringLiteral("CONSTRAINT"), QStringLiteral("CONVERSION"),
            QStringLiteral("DATABASE"), QStringLiteral("DATABASE PROPERTIES"), QStringLiteral("DEFAULT"), QStringLiteral("DEFAULT ACL"),
            QStringLiteral("DOMAIN"), QStringLiteral("ENCODING"), QStringLiteral("EVENT TRIGGER"), QStringLiteral("EXTENSION"),
            QStringLiteral("FK CONSTRAINT"), QStringLiteral("FOREIGN DATA WRAPPER"), QStringLiteral("FOREIGN SERVER"),
            QStringLiteral("FOREIGN TABLE"), QStringLiteral("FUNCTION"), QStringLiteral("INDEX"), QStringLiteral("INDEX ATTACH"),
            QStringLiteral("LARGE OBJECT"), QStringLiteral("MATERIALIZED VIEW"), QStringLiteral("MATERIALIZED VIEW DATA"),
            QStringLiteral("OPERATOR"), QStringLiteral("OPERATOR CLASS"), QStringLiteral("OPERATOR FAMILY"), QStringLiteral("POLICY"),
            QStringLiteral("PROCEDURAL LANGUAGE"), QStringLiteral("PROCEDURE"), QStringLiteral("PUBLICATION"),
            QStringLiteral("PUBLICATION TABLE"), QStringLiteral("PUBLICATION TABLES IN SCHEMA"), QStringLiteral("ROW SECURITY"),
            QStringLiteral("RULE"), QStringLiteral("SCHEMA"), QStringLiteral("SEARCHPATH"), QStringLiteral("SECURITY LABEL"),
            QStringLiteral("SEQUENCE"), QStringLiteral("SEQUENCE OWNED BY"), QStringLiteral("SEQUENCE SET"), QStringLiteral("SERVER"),
            QStringLiteral("SHELL TYPE"), QStringLiteral("STATISTICS"), QStringLiteral("STDSTRINGS"), QStringLiteral("SUBSCRIPTION"),
            QStringLiteral("TABLE"), QStringLiteral("TABLE ATTACH"), QStringLiteral("TABLE DATA"), QStringLiteral("TEXT SEARCH CONFIGURATION"),
            QStringLiteral("TEXT SEARCH DICTIONARY"), QStringLiteral("TEXT SEARCH PARSER"), QStringLiteral("TEXT SEARCH TEMPLATE"),
            QStringLiteral("TRANSFORM"), QStringLiteral("TRIGGER"), QStringLiteral("TYPE"), QStringLiteral("USER MAPPING"),
            QStringLiteral("VIEW")};
        std::sort(l.begin(), l.end(), [](const QString &a, const QString &b) { return a.size() > b.size(); });
        return l;
    }();
    return d;
}

bool readUInt(const QString &s, quint32 *out)
{
    bool ok = false;
    const qulonglong v = s.toULongLong(&ok);
    if (!ok || v > 0xFFFFFFFFull)
        return false;
    *out = quint32(v);
    return true;
}

} // namespace

bool TocEntry::isData() const
{
    return desc == QLatin1String("TABLE DATA") || desc == QLatin1String("SEQUENCE SET") || desc == QLatin1String("BLOBS")
        || desc == QLatin1String("MATERIALIZED VIEW DATA") || desc == QLatin1String("BLOB");
}

Result<QList<TocEntry>> parseRestoreList(const QByteArray &text)
{
    QList<TocEntry> out;
    int lineNo = 0;
    for (const QByteArray &raw : text.split('\n')) {
        ++lineNo;
        QString line = QString::fromUtf8(raw);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        if (line.trimmed().isEmpty() || line.trimmed().startsWith(QLatin1Char(';')))
            continue;
        auto bad = [&](const char *why) {
            return Error(Error::Code::Corrupt, QStringLiteral("The table of contents is unreadable at line %1 (%2): %3")
                                                   .arg(lineNo)
                                                   .arg(QLatin1String(why), line.left(200)));
        };
        const qsizetype semi = line.indexOf(QLatin1Char(';'));
        if (semi <= 0)
            return bad("no dump id");
        bool ok = false;
        TocEntry e;
        e.dumpId = line.left(semi).trimmed().toInt(&ok);
        if (!ok || e.dumpId <= 0)
            return bad("no dump id");
        QString rest = line.mid(semi + 1);
        if (!rest.startsWith(QLatin1Char(' ')))
            return bad("no catalog id");
        rest = rest.mid(1);
        const QStringList head = rest.split(QLatin1Char(' '));
        if (head.size() < 3 || !readUInt(head[0], &e.tableOid) || !readUInt(head[1], &e.oid))
            return bad("no catalog id");
        rest = rest.mid(head[0].size() + head[1].size() + 2);
        for (const QString &d : descriptions())
            if (rest.startsWith(d) && (rest.size() == d.size() || rest.at(d.size()) == QLatin1Char(' '))) {
                e.desc = d;
                break;
            }
        if (e.desc.isEmpty())
            return bad("unknown object type");
        rest = rest.mid(e.desc.size());
        if (!rest.startsWith(QLatin1Char(' ')))
            return bad("no schema");
        rest = rest.mid(1);
        // "SCHEMA NAME OWNER": the schema is one word ("-" when none); the owner is the last word, empty when the
        // line ends in the space before it; the name is what lies between and may hold spaces.
        const qsizetype sp = rest.indexOf(QLatin1Char(' '));
        if (sp < 0)
            return bad("no name");
        e.schema = rest.left(sp);
        if (e.schema == QLatin1String("-"))
            e.schema.clear();
        rest = rest.mid(sp + 1);
        const qsizetype last = rest.lastIndexOf(QLatin1Char(' '));
        if (last < 0) {
            e.name = rest;
        } else {
            e.name = rest.left(last);
            e.owner = rest.mid(last + 1);
        }
        if (e.name.isEmpty())
            return bad("no name");
        out << e;
    }
    return out;
}

QByteArray restoreListFor(const QList<TocEntry> &entries, const QSet<int> &keep)
{
    QByteArray out;
    for (const TocEntry &e : entries) {
        if (!keep.contains(e.dumpId))
            out += ';';
        // pg_restore reads only the dump id of each line; the rest is for a person reading the list.
        out += QStringLiteral("%1; %2 %3 %4 %5 %6 %7\n")
                   .arg(e.dumpId)
                   .arg(e.tableOid)
                   .arg(e.oid)
                   .arg(e.desc, e.schema.isEmpty() ? QStringLiteral("-") : e.schema, e.name, e.owner)
                   .toUtf8();
    }
    return out;
}

QJsonArray tocJson(const QList<TocEntry> &entries)
{
    QJsonArray a;
    for (const TocEntry &e : entries)
        a.append(QJsonObject{{QStringLiteral("id"), e.dumpId},
                             {QStringLiteral("desc"), e.desc},
                             {QStringLiteral("schema"), e.schema},
                             {QStringLiteral("name"), e.name},
                             {QStringLiteral("owner"), e.owner},
                             {QStringLiteral("oid"), qint64(e.oid)}});
    return a;
}

} // namespace pga
