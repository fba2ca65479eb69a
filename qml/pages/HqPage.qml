import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tandem
import Tandem.App

// HQ's roll-up over every plan this device holds: per department, overdue tasks, open
// problems, missing sign-offs and warnings, with its RAG (the core's departmentRollups,
// as `tandem-cli rollup` prints it).
Item {
    id: page
    RollupModel { id: rollup }
    readonly property bool narrow: width < Theme.wideBreakpoint

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacingL
        spacing: Theme.spacingM

        PageHeader {
            Layout.fillWidth: true
            showBack: AppController.canGoBack
            title: qsTr("HQ overview")
            subtitle: qsTr("Every department across the plans on this device")
        }
        ListView {
            objectName: "rollupList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.spacingS
            model: rollup
            header: RowLayout {
                visible: !page.narrow
                width: ListView.view ? ListView.view.width : 0
                spacing: Theme.spacingM
                Label { Layout.fillWidth: true; Layout.leftMargin: Theme.spacingL; text: qsTr("Department"); color: Theme.textSecondary }
                Repeater {
                    model: [qsTr("Overdue tasks"), qsTr("Open problems"), qsTr("Missing sign-offs"), qsTr("Warnings"), qsTr("RAG")]
                    delegate: Label {
                        required property string modelData
                        Layout.preferredWidth: 130
                        text: modelData
                        color: Theme.textSecondary
                        horizontalAlignment: Text.AlignRight
                    }
                }
                Item { width: Theme.spacingL }
            }
            delegate: Card {
                id: row
                required property string department
                required property int overdueTasks
                required property int openProblems
                required property int missingSignoffs
                required property int warnings
                required property string rag
                width: ListView.view.width
                padding: Theme.spacingM
                GridLayout {
                    Layout.fillWidth: true
                    columns: page.narrow ? 2 : 6
                    Label { Layout.fillWidth: true; Layout.columnSpan: page.narrow ? 1 : 1; text: row.department; font.bold: true }
                    RagBadge { visible: page.narrow; rag: row.rag }
                    Repeater {
                        model: [
                            { "label": qsTr("Overdue tasks"), "value": row.overdueTasks },
                            { "label": qsTr("Open problems"), "value": row.openProblems },
                            { "label": qsTr("Missing sign-offs"), "value": row.missingSignoffs },
                            { "label": qsTr("Warnings"), "value": row.warnings }
                        ]
                        delegate: Label {
                            required property var modelData
                            Layout.preferredWidth: page.narrow ? -1 : 130
                            Layout.fillWidth: page.narrow
                            horizontalAlignment: page.narrow ? Text.AlignLeft : Text.AlignRight
                            text: page.narrow ? modelData.label + ": " + Theme.formatNumber(modelData.value) : Theme.formatNumber(modelData.value)
                            color: modelData.value > 0 ? Theme.text : Theme.textTertiary
                        }
                    }
                    Item {
                        visible: !page.narrow
                        Layout.preferredWidth: 130
                        implicitHeight: badge.implicitHeight
                        RagBadge { id: badge; anchors.right: parent.right; rag: row.rag }
                    }
                }
            }
            EmptyState {
                anchors.centerIn: parent
                width: parent.width - 2 * Theme.spacingXL
                visible: rollup.loaded && rollup.count === 0
                icon: "hq"
                title: qsTr("No plans on this device")
            }
        }
    }
}
