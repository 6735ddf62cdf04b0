#pragma once

#include "app/BlunderService.h"
#include "core/BlunderFinder.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QTimeZone>

#include <optional>

namespace pga::gui {

// The blunders of one server, newest first: time (with its zone), kind, database, objects, rows, xid.
class BlundersModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, KindColumn, DatabaseColumn, ObjectsColumn, RowsColumn, XidColumn, ColumnCount };
    enum Role { KindRole = Qt::UserRole + 1, TimeUsRole, RowsRole, XidRole };

    explicit BlundersModel(QObject *parent = nullptr);
    void setEvents(const QList<BlunderEvent> &events);
    void setTimeZone(const QTimeZone &zone);
    const BlunderEvent *event(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<BlunderEvent> m_events;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
};

// The view's filter: kind, a time range (commit time) and a row threshold for DELETE and UPDATE.
class BlunderFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setKind(const QString &kind);  // empty: all
    void setRange(std::optional<qint64> sinceUs, std::optional<qint64> untilUs);
    void setMinRows(qint64 rows);

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override;

private:
    QString m_kind;
    std::optional<qint64> m_since, m_until;
    qint64 m_minRows = 0;
};

// What an undo creates, and afterwards the rows compared: what, where, rows expected, in the copy, in the live server.
class UndoPlanModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { WhatColumn, TargetColumn, DatabaseColumn, ExpectedColumn, ScratchColumn, LiveColumn, MatchColumn, ColumnCount };
    explicit UndoPlanModel(QObject *parent = nullptr);
    void setItems(const QList<engine::UndoItem> &items, bool done);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<engine::UndoItem> m_items;
    bool m_done = false;
};

} // namespace pga::gui
