#include "Icons.h"
#include "MainWindow.h"
#include "app/AppContext.h"
#include "repo/DurableFile.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QTranslator>

int main(int argc, char **argv)
{
    pga::repo::useRepositoryUmask();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("pgarchivist"));
    QApplication::setApplicationDisplayName(QStringLiteral("pgArchivist"));
    QApplication::setOrganizationName(QStringLiteral("pgarchivist"));
    QApplication::setApplicationVersion(QStringLiteral(PGA_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("pgarchivist"));
    QApplication::setWindowIcon(pga::gui::appIcon());
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("pgarchivist.*.debug=false"));

    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator ours;
    if (ours.load(QLocale(), QStringLiteral("pgarchivist"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&ours);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "PostgreSQL backup and point-in-time recovery"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption registry(QStringLiteral("registry"),
                                QApplication::translate("main", "Use this server registry file instead of the default."),
                                QStringLiteral("FILE"));
    QCommandLineOption noSandbox(QStringLiteral("no-sandbox-offer"),
                                 QApplication::translate("main", "Do not offer a sandbox server when none is registered."));
    parser.addOptions({registry, noSandbox});
    parser.process(app);

    pga::app::AppContext context;
    const QString path = parser.isSet(registry) ? parser.value(registry) : pga::app::ServerRegistry::defaultPath();
    if (pga::Status s = context.open(path); !s) {
        // Without a registry there is nothing to show; say why and what to do.
        QMessageBox::critical(nullptr, QApplication::translate("main", "pgArchivist"), s.error().toString());
        return 1;
    }
    pga::gui::MainWindow::Options options;
    options.offerSandbox = !parser.isSet(noSandbox);
    pga::gui::MainWindow window(context, options);
    window.show();
    return app.exec();
}
