#include "TarReader.h"

#include <cstring>

namespace pga {

namespace {

Error corrupt(const QString &why) { return Error(Error::Code::Corrupt, QStringLiteral("The backup stream is not a valid tar archive: %1.").arg(why)); }

// Octal (ustar) or base-256 (GNU, for values that do not fit the field).
qint64 number(const char *f, size_t len, bool *ok)
{
    *ok = true;
    if (static_cast<unsigned char>(f[0]) & 0x80) {
        qint64 v = static_cast<unsigned char>(f[0]) & 0x7f;
        for (size_t i = 1; i < len; ++i)
            v = (v << 8) | static_cast<unsigned char>(f[i]);
        return v;
    }
    qint64 v = 0;
    size_t i = 0;
    while (i < len && (f[i] == ' ' || f[i] == 0))
        ++i;
    for (; i < len && f[i] >= '0' && f[i] <= '7'; ++i)
        v = v * 8 + (f[i] - '0');
    for (; i < len; ++i)
        if (f[i] != ' ' && f[i] != 0) {
            *ok = false;
            break;
        }
    return v;
}

QString field(const char *f, size_t len) { return QString::fromUtf8(f, qsizetype(strnlen(f, len))); }

QString cleanPath(QString p)
{
    while (p.startsWith(QLatin1String("./")))
        p.remove(0, 2);
    while (p.endsWith(QLatin1Char('/')))
        p.chop(1);
    return p == QLatin1String(".") ? QString() : p;
}

} // namespace

Status TarReader::feed(const char *p, size_t n)
{
    m_total += qint64(n);
    while (n > 0) {
        switch (m_state) {
        case State::Data: {
            const size_t take = size_t(std::min<qint64>(m_left, qint64(n)));
            if (Status s = m_h.data(p, take); !s)
                return s;
            p += take;
            n -= take;
            m_left -= qint64(take);
            if (m_left == 0) {
                if (Status s = m_h.entryEnd(); !s)
                    return s;
                m_state = m_padLeft ? State::Padding : State::Header;
            }
            break;
        }
        case State::Padding: {
            const size_t take = size_t(std::min<qint64>(m_padLeft, qint64(n)));
            p += take;
            n -= take;
            m_padLeft -= qint64(take);
            if (m_padLeft == 0)
                m_state = State::Header;
            break;
        }
        case State::LongName:
        case State::LongLink:
        case State::Pax: {
            const size_t take = size_t(std::min<qint64>(m_left + m_padLeft, qint64(n)));
            const size_t content = size_t(std::min<qint64>(m_left, qint64(take)));
            m_special.append(p, qsizetype(content));
            m_left -= qint64(content);
            m_padLeft -= qint64(take - content);
            p += take;
            n -= take;
            if (m_left == 0 && m_padLeft == 0) {
                if (m_state == State::LongName)
                    m_nextPath = QString::fromUtf8(m_special.constData(), qsizetype(strnlen(m_special.constData(), size_t(m_special.size()))));
                else if (m_state == State::LongLink)
                    m_nextLink = QString::fromUtf8(m_special.constData(), qsizetype(strnlen(m_special.constData(), size_t(m_special.size()))));
                else {
                    // "LEN key=value\n" records; we need path, linkpath and size.
                    qsizetype pos = 0;
                    while (pos < m_special.size()) {
                        const qsizetype sp = m_special.indexOf(' ', pos);
                        if (sp < 0)
                            break;
                        const qsizetype len = m_special.mid(pos, sp - pos).toLongLong();
                        if (len <= 0 || pos + len > m_special.size())
                            return corrupt(QStringLiteral("bad pax record"));
                        const QByteArray kv = m_special.mid(sp + 1, pos + len - sp - 2);
                        const qsizetype eq = kv.indexOf('=');
                        const QByteArray k = kv.left(eq), v = kv.mid(eq + 1);
                        if (k == "path")
                            m_nextPath = QString::fromUtf8(v);
                        else if (k == "linkpath")
                            m_nextLink = QString::fromUtf8(v);
                        else if (k == "size")
                            m_nextSize = v.toLongLong();
                        pos += len;
                    }
                }
                m_special.clear();
                m_state = State::Header;
            }
            break;
        }
        case State::Header: {
            const size_t take = std::min(n, 512 - m_blockFill);
            memcpy(m_block + m_blockFill, p, take);
            m_blockFill += take;
            p += take;
            n -= take;
            if (m_blockFill == 512) {
                m_blockFill = 0;
                if (Status s = header(); !s)
                    return s;
            }
            break;
        }
        }
    }
    return {};
}

Status TarReader::header()
{
    bool allZero = true;
    for (char c : m_block)
        if (c) {
            allZero = false;
            break;
        }
    if (allZero)
        return {};  // end-of-archive blocks (PostgreSQL leaves them out; other writers do not)
    bool ok = false;
    const qint64 sum = number(m_block + 148, 8, &ok);
    qint64 calc = 0;
    for (int i = 0; i < 512; ++i)
        calc += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(m_block[i]);
    if (!ok || sum != calc)
        return corrupt(QStringLiteral("header checksum mismatch after %1 bytes").arg(m_total));
    qint64 size = number(m_block + 124, 12, &ok);
    if (!ok || size < 0)
        return corrupt(QStringLiteral("bad size field"));
    const char type = m_block[156];
    const qint64 pad = (512 - size % 512) % 512;
    if (type == 'L' || type == 'K' || type == 'x' || type == 'g') {
        if (size > (1 << 20))
            return corrupt(QStringLiteral("oversized extended header"));
        m_left = size;
        m_padLeft = pad;
        m_state = type == 'L' ? State::LongName : type == 'K' ? State::LongLink : State::Pax;
        if (type == 'g')
            m_state = State::Pax;  // global records: parsed but applied like local ones (PostgreSQL writes none)
        if (size == 0 && pad == 0)
            m_state = State::Header;
        return {};
    }
    TarEntry e;
    QString name = field(m_block, 100);
    if (memcmp(m_block + 257, "ustar", 5) == 0) {
        const QString prefix = field(m_block + 345, 155);
        if (!prefix.isEmpty())
            name = prefix + QLatin1Char('/') + name;
    }
    e.path = cleanPath(m_nextPath.isEmpty() ? name : m_nextPath);
    e.linkTarget = m_nextLink.isEmpty() ? field(m_block + 157, 100) : m_nextLink;
    if (m_nextSize >= 0)
        size = m_nextSize;
    m_nextPath.clear();
    m_nextLink.clear();
    m_nextSize = -1;
    e.mode = quint32(number(m_block + 100, 8, &ok));
    e.mtime = number(m_block + 136, 12, &ok);
    switch (type) {
    case '0':
    case '\0':
    case '7':
        e.type = TarEntry::Type::File;
        break;
    case '5':
        e.type = TarEntry::Type::Directory;
        break;
    case '2':
        e.type = TarEntry::Type::Symlink;
        break;
    default:
        e.type = TarEntry::Type::Other;
    }
    e.size = e.type == TarEntry::Type::File || e.type == TarEntry::Type::Other ? size : 0;
    if (Status s = m_h.entry(e); !s)
        return s;
    m_left = e.size;
    m_padLeft = (512 - e.size % 512) % 512;
    if (m_left > 0)
        m_state = State::Data;
    else {
        if (Status s = m_h.entryEnd(); !s)
            return s;
        m_state = State::Header;
    }
    return {};
}

Status TarReader::finish() const
{
    if (m_state != State::Header || m_blockFill != 0)
        return corrupt(QStringLiteral("it ends inside a member"));
    return {};
}

} // namespace pga
