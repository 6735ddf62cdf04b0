#include "pg/ClientTools.h"

#include <QtTest>

using pga::pg::ClientTools;

// Client programs matched to the server's version (issue 13): the newest whose major is at least the server's,
// and a refusal that names what was found and what to install. Other versions are real programs that print what
// their version would print (the detection seam is the program's own --version, as for the installed one).
class TestClientTools : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString fakeClient(const QString &name, const QString &versionLine)
    {
        const QString dir = m_dir.filePath(name);
        QDir().mkpath(dir);
        QFile f(dir + QStringLiteral("/pg_dump"));
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(QStringLiteral("#!/bin/sh\necho '%1'\n").arg(versionLine).toUtf8());
        f.close();
        f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup);
        return dir;
    }

private slots:
    void parsesVersionLines()
    {
        QCOMPARE(ClientTools::parseVersionOutput(QStringLiteral("pg_dump (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)")), 150014);
        QCOMPARE(ClientTools::parseVersionOutput(QStringLiteral("pg_dump (PostgreSQL) 17.2")), 170002);
        QCOMPARE(ClientTools::parseVersionOutput(QStringLiteral("pg_dump (PostgreSQL) 9.6.24")), 90624);
        QCOMPARE(ClientTools::parseVersionOutput(QStringLiteral("pg_dump (PostgreSQL) 18beta1")), 180000);
        QCOMPARE(ClientTools::parseVersionOutput(QStringLiteral("something else")), 0);
    }

    void picksTheNewestAtLeastTheServers()
    {
        const QString v16 = fakeClient(QStringLiteral("16"), QStringLiteral("pg_dump (PostgreSQL) 16.6"));
        const QString v17 = fakeClient(QStringLiteral("17"), QStringLiteral("pg_dump (PostgreSQL) 17.2"));
        qputenv("PGA_PG_CLIENT_DIRS", (v16 + QLatin1Char(':') + v17).toUtf8());
        auto m = ClientTools::matchedClient(QStringLiteral("pg_dump"), 150004);
        QVERIFY2(m.ok(), qPrintable(m.ok() ? QString() : m.error().toString()));
        QCOMPARE(m->versionNum, 170002);  // the newest: it reads every older server
        QCOMPARE(m->path, QFileInfo(v17 + QStringLiteral("/pg_dump")).canonicalFilePath());
        QVERIFY(m->found.size() >= 3);    // 16, 17 and the installed 15
        qunsetenv("PGA_PG_CLIENT_DIRS");
        // Without the extra ones: the installed PostgreSQL 15 client, for a 15 server.
        m = ClientTools::matchedClient(QStringLiteral("pg_dump"), 150004);
        QVERIFY2(m.ok(), qPrintable(m.ok() ? QString() : m.error().toString()));
        QCOMPARE(m->versionNum / 10000, 15);
        QVERIFY(m->path.startsWith(QStringLiteral("/usr/lib/postgresql/15/bin/")));
    }

    void refusesAServerNewerThanEveryClient()
    {
        qputenv("PGA_PG_CLIENT_DIRS", fakeClient(QStringLiteral("16b"), QStringLiteral("pg_dump (PostgreSQL) 16.6")).toUtf8());
        auto m = ClientTools::matchedClient(QStringLiteral("pg_dump"), 180001);
        qunsetenv("PGA_PG_CLIENT_DIRS");
        QVERIFY(!m.ok());
        const QString why = m.error().message;
        QVERIFY2(why.contains(QStringLiteral("PostgreSQL 18.1")) && why.contains(QStringLiteral("16.6"))
                     && why.contains(QStringLiteral("15.")) && why.contains(QStringLiteral("postgresql-client-18")),
                 qPrintable(why));
        QVERIFY(!ClientTools::matchedClient(QStringLiteral("no_such_tool"), 150000).ok());
    }
};

QTEST_GUILESS_MAIN(TestClientTools)
#include "tst_clienttools.moc"
