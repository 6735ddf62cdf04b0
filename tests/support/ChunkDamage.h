#pragma once

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace pga::test {

// Damages the first chunk of one file of a backup (files.jsonl: an entry a line) by flipping a byte near its end,
// as bit rot would; undo() puts the original bytes back. hex is empty when the file or chunk was not found.
class ChunkDamage {
public:
    ChunkDamage(const QString &repo, const QString &server, const QString &backupId, const QString &path)
    {
        QFile lf(repo + QStringLiteral("/servers/") + server + QStringLiteral("/backups/") + backupId + QStringLiteral("/files.jsonl"));
        if (!lf.open(QIODevice::ReadOnly))
            return;
        for (const QByteArray &line : lf.readAll().split('\n')) {
            const QJsonObject f = QJsonDocument::fromJson(line).object();
            if (f[QStringLiteral("path")].toString() == path)
                hex = f[QStringLiteral("chunks")][0].toString();
        }
        if (hex.isEmpty())
            return;
        m_file = repo + QStringLiteral("/chunks/") + hex.left(2) + QLatin1Char('/') + hex + QStringLiteral(".zst");
        QFile cf(m_file);
        if (!cf.open(QIODevice::ReadOnly)) {
            hex.clear();
            return;
        }
        m_good = cf.readAll();
        cf.close();
        QByteArray bad = m_good;
        bad[bad.size() - 6] = char(bad[bad.size() - 6] ^ 0x55);
        if (!cf.open(QIODevice::WriteOnly | QIODevice::Truncate) || cf.write(bad) != bad.size())
            hex.clear();
    }
    ~ChunkDamage() { undo(); }
    bool ok() const { return !hex.isEmpty(); }
    void undo()
    {
        if (m_good.isEmpty())
            return;
        QFile cf(m_file);
        if (cf.open(QIODevice::WriteOnly | QIODevice::Truncate))
            cf.write(m_good);
        m_good.clear();
    }

    QString hex;  // the damaged chunk's id

private:
    QString m_file;
    QByteArray m_good;
};

} // namespace pga::test
