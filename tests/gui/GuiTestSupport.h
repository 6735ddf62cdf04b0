#pragma once

#include "MainWindow.h"
#include "app/AppContext.h"

#include <QApplication>
#include <QDialog>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QTimer>
#include <QtTest>

namespace pga::test {

// The widget of type T that is open now (a dialog the window opened with open()).
template <typename T>
T *openDialog(QWidget *parent)
{
    T *found = nullptr;
    (void)QTest::qWaitFor([&] {
        const auto all = parent->findChildren<T *>();
        for (T *d : all)
            if (d->isVisible())
                found = d;
        return found != nullptr;
    }, 5000);
    return found;
}

// With PGA_SCREENSHOT_DIR set (./dev screenshots), saves the widget as that file there; true when not asked to.
inline bool screenshot(QWidget *w, const char *name)
{
    const QString dir = qEnvironmentVariable("PGA_SCREENSHOT_DIR");
    return dir.isEmpty() || w->grab().save(dir + QLatin1Char('/') + QLatin1String(name));
}

// What the keychain holds under key ("" when nothing or on error), waiting for its asynchronous answer.
inline QString keychainValue(app::AppContext &app, const QString &key)
{
    QString value;
    bool read = false;
    QObject context;
    app.secrets().readPassword(key, &context, [&](Result<QString> v) {
        value = v.valueOr(QString());
        read = true;
    });
    (void)QTest::qWaitFor([&] { return read; }, 10000);
    return value;
}

// Clears the line edit called name below parent and types text into it, as a user would.
inline void typeInto(QWidget *parent, const char *name, const QString &text)
{
    auto *e = parent->findChild<QLineEdit *>(QLatin1String(name));
    QVERIFY2(e, name);
    e->selectAll();
    QTest::keyClick(e, Qt::Key_Delete);
    QTest::keyClicks(e, text);
}

// Measures the longest time the event loop went without turning, while it runs.
class EventLoopWatch : public QObject {
public:
    EventLoopWatch()
    {
        m_timer.setInterval(5);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            m_worst = std::max(m_worst, m_last.restart());
        });
        m_last.start();
        m_timer.start();
    }
    qint64 worstGapMs() const { return m_worst; }
    void reset()
    {
        m_worst = 0;
        m_last.restart();
    }

private:
    QTimer m_timer;
    QElapsedTimer m_last;
    qint64 m_worst = 0;
};

// A main window on a fresh registry (no sandbox offer), shown, as a DBA would start with.
struct TestWindow {
    app::AppContext app;
    std::unique_ptr<gui::MainWindow> window;

    bool open(const QString &registryPath)
    {
        if (!app.open(registryPath))
            return false;
        gui::MainWindow::Options o;
        o.offerSandbox = false;
        o.sampleMetrics = false;  // no connections the test did not ask for (tst_walview tests the sampler)
        window = std::make_unique<gui::MainWindow>(app, o);
        window->show();
        return true;
    }
    // Registers a server and selects it in the tree; 0 when the registry refused it.
    qint64 addServer(const QString &name, const QString &conninfo, const QString &repoDir = {})
    {
        app::ServerEntry e;
        e.name = name;
        e.conninfo = conninfo;
        e.repoDir = repoDir;
        auto saved = app.registry().save(e);
        if (!saved)
            return 0;
        window->selectServer(saved->id);
        return saved->id;
    }
};

} // namespace pga::test
