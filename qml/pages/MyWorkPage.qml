import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tandem
import Tandem.App

// Home: my tasks that are late or due in the next 7 working days, each with its
// warnings, its progress and a one-tap "Log progress"; then the problems and resource
// requests waiting for me. Pull down (or "Sync now") to sync.
Item {
    id: page
    property var progressSheet
    readonly property bool narrow: width < Theme.wideBreakpoint

    // One load of My work (client::myWork reads every live plan) fills both lists.
    MyTasksModel { id: tasks }
    readonly property var waiting: tasks.waiting

    // A ListView, not a Repeater in a Column: only the visible cards exist, so a My work
    // of thousands of tasks costs what a screenful does (docs/performance.md, App).
    ListView {
        id: flick
        readonly property real pulled: originY - contentY
        readonly property real cardWidth: Math.min(width - 2 * Theme.spacingL, 880)
        anchors.fill: parent
        clip: true
        spacing: Theme.spacingM
        boundsBehavior: Flickable.DragOverBounds
        onDragEnded: if (pulled > 72) AppController.syncNow()
        ScrollBar.vertical: ScrollBar { }
        model: tasks

        Label {
            parent: flick
            anchors.horizontalCenter: parent.horizontalCenter
            y: flick.pulled - height - Theme.spacingM
            visible: flick.pulled > 24
            text: flick.pulled > 72 ? qsTr("Release to sync") : qsTr("Pull to sync")
            color: Theme.textSecondary
        }

        header: Item {
            width: flick.width
            implicitHeight: headerColumn.implicitHeight + Theme.spacingL + Theme.spacingM
            ColumnLayout {
            id: headerColumn
            x: Theme.spacingL
            y: Theme.spacingL
            width: flick.cardWidth
            spacing: Theme.spacingM

            PageHeader {
                Layout.fillWidth: true
                title: qsTr("My work")
                subtitle: AppController.displayName.length > 0
                          ? qsTr("%1 · %n task(s) late or due within 7 working days", "", tasks.count).arg(AppController.displayName)
                          : ""
            }

            EmptyState {
                Layout.fillWidth: true
                Layout.topMargin: Theme.spacingXL
                visible: tasks.loaded && tasks.count === 0
                title: qsTr("Nothing due in the next 7 working days")
                text: qsTr("Tasks you own or lead show up here when they are late or due soon.")
            }
            Label {
                visible: tasks.error.length > 0
                text: tasks.error
                color: Theme.red
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
            }
            }
        }

                delegate: Card {
                    id: taskCard
                    required property int index
                    required property string taskId
                    required property string name
                    required property string planId
                    required property string planTitle
                    required property var due
                    required property int daysLeft
                    required property int percent
                    required property string status
                    required property string rag
                    required property var warnings
                    required property bool canLog
                    required property string cannotLogReason
                    required property string leadDepartment
                    objectName: "taskCard_" + index
                    x: Theme.spacingL
                    width: flick.cardWidth

                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.spacingM
                        Label {
                            Layout.fillWidth: true
                            text: taskCard.name
                            font.pixelSize: Theme.fontSubtitle
                            font.bold: true
                            wrapMode: Text.WordWrap
                        }
                        RagBadge { rag: taskCard.rag; visible: taskCard.rag !== "green" }
                    }
                    Label {
                        Layout.fillWidth: true
                        text: taskCard.planTitle + " · " + taskCard.leadDepartment + " · " + taskCard.status
                        color: Theme.textSecondary
                        wrapMode: Text.WordWrap
                        MouseArea {
                            anchors.fill: parent
                            cursorShape: Qt.PointingHandCursor
                            onClicked: AppController.openPlan(taskCard.planId)
                        }
                    }
                    Flow {
                        Layout.fillWidth: true
                        spacing: Theme.spacingM
                        Label {
                            text: qsTr("Due %1").arg(Theme.formatDate(taskCard.due))
                            color: Theme.text
                        }
                        StatusChip {
                            text: taskCard.daysLeft < 0 ? qsTr("%n working day(s) late", "", -taskCard.daysLeft)
                                  : taskCard.daysLeft === 0 ? qsTr("due today")
                                  : qsTr("in %n working day(s)", "", taskCard.daysLeft)
                            tint: taskCard.daysLeft < 0 ? Theme.ragTint(taskCard.rag === "green" ? "yellow" : taskCard.rag) : Theme.primaryTint
                            textColor: taskCard.daysLeft < 0 ? Theme.ragColor(taskCard.rag === "green" ? "yellow" : taskCard.rag) : Theme.primary
                        }
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.spacingM
                        ProgressBar {
                            Layout.fillWidth: true
                            from: 0; to: 100
                            value: taskCard.percent
                            Accessible.name: qsTr("Progress %1").arg(Theme.formatPercent(taskCard.percent))
                        }
                        Label { text: Theme.formatPercent(taskCard.percent); font.bold: true }
                    }
                    WarningList {
                        Layout.fillWidth: true
                        warnings: taskCard.warnings
                        rag: taskCard.rag === "green" ? "yellow" : taskCard.rag
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        Label {
                            Layout.fillWidth: true
                            visible: !taskCard.canLog
                            text: taskCard.cannotLogReason
                            color: Theme.textSecondary
                            font.pixelSize: Theme.fontCaption
                            wrapMode: Text.WordWrap
                        }
                        Item { Layout.fillWidth: true; visible: taskCard.canLog }
                        Button {
                            objectName: "logProgressButton"
                            text: qsTr("Log progress")
                            highlighted: true
                            enabled: taskCard.canLog
                            icon.source: Theme.icon("edit")
                            Accessible.name: qsTr("Log progress on %1").arg(taskCard.name)
                            onClicked: page.progressSheet.openFor({ "taskId": taskCard.taskId, "name": taskCard.name,
                                                                    "planTitle": taskCard.planTitle, "percent": taskCard.percent })
                        }
                    }
                }

        footer: Item {
            width: flick.width
            implicitHeight: footerColumn.implicitHeight + Theme.spacingM + Theme.spacingL
            ColumnLayout {
            id: footerColumn
            x: Theme.spacingL
            y: Theme.spacingM
            width: flick.cardWidth
            spacing: Theme.spacingM

            SectionTitle {
                Layout.fillWidth: true
                Layout.topMargin: Theme.spacingL
                visible: waiting.count > 0
                text: qsTr("Waiting for you")
            }
            Repeater {
                model: waiting
                delegate: Card {
                    id: waitingCard
                    required property int index
                    required property string itemId
                    required property string kindLabel
                    required property string title
                    required property string planId
                    required property string planTitle
                    required property string status
                    required property string rag
                    required property var warnings
                    required property var since
                    objectName: "waitingCard_" + index
                    Layout.fillWidth: true
                    RowLayout {
                        Layout.fillWidth: true
                        StatusChip { text: waitingCard.kindLabel }
                        Label {
                            Layout.fillWidth: true
                            text: waitingCard.title
                            font.bold: true
                            wrapMode: Text.WordWrap
                        }
                        RagBadge { rag: waitingCard.rag; visible: waitingCard.rag !== "green" }
                    }
                    Label {
                        Layout.fillWidth: true
                        text: waitingCard.planTitle + " · " + waitingCard.status
                              + (waitingCard.since && !isNaN(waitingCard.since) ? " · " + qsTr("since %1").arg(Theme.formatDateTime(waitingCard.since)) : "")
                        color: Theme.textSecondary
                        wrapMode: Text.WordWrap
                    }
                    WarningList {
                        Layout.fillWidth: true
                        warnings: waitingCard.warnings
                        rag: waitingCard.rag === "green" ? "yellow" : waitingCard.rag
                    }
                    Button {
                        objectName: "openWaitingPlan"
                        Layout.alignment: Qt.AlignRight
                        text: qsTr("Open plan")
                        flat: true
                        Accessible.name: qsTr("Open the plan of %1").arg(waitingCard.title)
                        onClicked: AppController.openPlan(waitingCard.planId)
                    }
                }
            }
            BusyIndicator {
                Layout.alignment: Qt.AlignHCenter
                running: !tasks.loaded
                visible: running
            }
            }
        }
    }
}
