// Runs a fuzz target without libFuzzer, so every build exercises it: the files given (or the seed corpus), then
// deterministic mutations of them. A crash or abort fails the test.
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>

#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    QList<QByteArray> seeds;
    int mutations = 20000;
    if (!args.isEmpty() && args.first().startsWith(QLatin1String("--mutations="))) {
        mutations = args.takeFirst().mid(12).toInt();
    }
    for (const QString &a : args) {
        const QFileInfo fi(a);
        const QStringList files = fi.isDir() ? QDir(a).entryList(QDir::Files) : QStringList{fi.fileName()};
        for (const QString &f : files) {
            QFile file(fi.isDir() ? a + QLatin1Char('/') + f : a);
            if (file.open(QIODevice::ReadOnly))
                seeds << file.readAll();
        }
    }
    if (seeds.isEmpty()) {
        std::fprintf(stderr, "no seed inputs\n");
        return 2;
    }
    for (const QByteArray &s : std::as_const(seeds))
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(s.constData()), size_t(s.size()));
    QRandomGenerator rng(12345);
    const QByteArray alphabet = QByteArrayLiteral("0123456789*-:,./~ MonTueWedThuFriSatSunUTCEurope/Berlin..\x00\xff");
    for (int i = 0; i < mutations; ++i) {
        QByteArray m = seeds[int(rng.bounded(int(seeds.size())))];
        const int edits = 1 + int(rng.bounded(4));
        for (int e = 0; e < edits; ++e) {
            const int pos = m.isEmpty() ? 0 : int(rng.bounded(int(m.size())));
            const char c = alphabet[int(rng.bounded(int(alphabet.size())))];
            switch (rng.bounded(3)) {
            case 0: m.insert(pos, c); break;
            case 1: if (!m.isEmpty()) m[pos] = c; break;
            default: if (!m.isEmpty()) m.remove(pos, 1); break;
            }
        }
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(m.constData()), size_t(m.size()));
    }
    std::printf("%lld inputs, no failure\n", static_cast<long long>(seeds.size() + mutations));
    return 0;
}
