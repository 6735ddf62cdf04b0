#include "CatalogSnapshot.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace pga {

namespace {

QString s(const char *k) { return QString::fromLatin1(k); }

} // namespace

bool CatalogSnapshot::sameCatalog(const CatalogSnapshot &o) const
{
    if (databases.size() != o.databases.size() || systemIdentifier != o.systemIdentifier)
        return false;
    for (size_t i = 0; i < databases.size(); ++i) {
        const CatalogDatabase &a = databases[i], &b = o.databases[i];
        if (a.oid != b.oid || a.name != b.name || a.complete != b.complete || a.relations.size() != b.relations.size())
            return false;
        for (size_t j = 0; j < a.relations.size(); ++j) {
            CatalogRelation x = a.relations[j], y = b.relations[j];
            x.reltuples = y.reltuples = 0;
            if (!(x == y))
                return false;
        }
    }
    return true;
}

QByteArray catalogSnapshotJson(const CatalogSnapshot &snap)
{
    QJsonArray dbs;
    for (const CatalogDatabase &d : snap.databases) {
        // Relations as compact rows: [oid, filenode, tablespace, schema, name, kind, toast oid, reltuples].
        QJsonArray rels;
        for (const CatalogRelation &r : d.relations)
            rels.append(QJsonArray{qint64(r.oid), qint64(r.filenode), qint64(r.tablespace), r.schema, r.name,
                                   QString(QLatin1Char(r.kind)), qint64(r.toastOid), r.reltuples});
        QJsonObject o{{s("oid"), qint64(d.oid)}, {s("name"), d.name}, {s("complete"), d.complete}, {s("relations"), rels}};
        if (!d.note.isEmpty())
            o.insert(s("note"), d.note);
        dbs.append(o);
    }
    return QJsonDocument(QJsonObject{{s("format"), CatalogSnapshot::kFormat},
                                     {s("taken"), snap.takenUtc.toUTC().toString(Qt::ISODateWithMs)},
                                     {s("lsn"), snap.lsn.toString()},
                                     {s("timeline"), qint64(snap.timeline)},
                                     {s("system_identifier"), QString::number(snap.systemIdentifier)},
                                     {s("relation_columns"), QJsonArray{s("oid"), s("filenode"), s("tablespace"), s("schema"), s("name"),
                                                                        s("kind"), s("toast_oid"), s("reltuples")}},
                                     {s("databases"), dbs}})
        .toJson(QJsonDocument::Compact);
}

Result<CatalogSnapshot> parseCatalogSnapshot(const QByteArray &json)
{
    auto bad = [](const QString &why) { return Error(Error::Code::Corrupt, QStringLiteral("The catalog snapshot is malformed: %1.").arg(why)); };
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return bad(pe.error != QJsonParseError::NoError ? pe.errorString() : QStringLiteral("not an object"));
    const QJsonObject o = doc.object();
    if (!o.value(s("format")).isDouble())
        return bad(QStringLiteral("no format"));
    if (o.value(s("format")).toInt() != CatalogSnapshot::kFormat)
        return Error(Error::Code::Unsupported, QStringLiteral("The catalog snapshot has format %1; this build reads format %2.")
                                                   .arg(o.value(s("format")).toInt()).arg(CatalogSnapshot::kFormat));
    CatalogSnapshot snap;
    snap.takenUtc = QDateTime::fromString(o.value(s("taken")).toString(), Qt::ISODateWithMs);
    const auto lsn = Lsn::parse(o.value(s("lsn")).toString());
    bool idOk = false;
    snap.systemIdentifier = o.value(s("system_identifier")).toString().toULongLong(&idOk);
    if (!snap.takenUtc.isValid() || !lsn || !idOk)
        return bad(QStringLiteral("taken, lsn or system_identifier missing"));
    snap.lsn = *lsn;
    snap.timeline = quint32(o.value(s("timeline")).toInteger());
    auto oidOf = [](const QJsonValue &v, quint32 *out) {
        const qint64 n = v.toInteger(-1);
        if (!v.isDouble() || n < 0 || n > 0xFFFFFFFFLL)
            return false;
        *out = quint32(n);
        return true;
    };
    const QJsonValue dbsValue = o.value(s("databases"));
    if (!dbsValue.isArray())
        return bad(QStringLiteral("no databases"));
    for (const QJsonValue &dv : dbsValue.toArray()) {
        const QJsonObject d = dv.toObject();
        CatalogDatabase db;
        if (!oidOf(d.value(s("oid")), &db.oid) || !d.value(s("name")).isString() || !d.value(s("relations")).isArray())
            return bad(QStringLiteral("a database without oid, name or relations"));
        db.name = d.value(s("name")).toString();
        db.complete = d.value(s("complete")).toBool();
        db.note = d.value(s("note")).toString();
        for (const QJsonValue &rv : d.value(s("relations")).toArray()) {
            const QJsonArray r = rv.toArray();
            CatalogRelation rel;
            if (r.size() != 8 || !oidOf(r[0], &rel.oid) || !oidOf(r[1], &rel.filenode) || !oidOf(r[2], &rel.tablespace) ||
                !r[3].isString() || !r[4].isString() || r[5].toString().size() != 1 || !oidOf(r[6], &rel.toastOid) || !r[7].isDouble())
                return bad(QStringLiteral("a relation row of %1 is malformed").arg(db.name));
            rel.schema = r[3].toString();
            rel.name = r[4].toString();
            rel.kind = r[5].toString().at(0).toLatin1();
            rel.reltuples = r[7].toDouble();
            db.relations.push_back(std::move(rel));
        }
        snap.databases.push_back(std::move(db));
    }
    return snap;
}

} // namespace pga
