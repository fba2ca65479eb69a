import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tandem
import Tandem.App

// Values in what I own or am Accountable for that a concurrent edit overwrote: both
// values, who wrote each and when; one tap restores the lost one (a new edit), or
// keeps the current one.
Item {
    id: page
    property var model

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacingL
        spacing: Theme.spacingM

        PageHeader {
            Layout.fillWidth: true
            title: qsTr("Conflicts")
            subtitle: qsTr("Values someone overwrote while you were both editing")
        }
        ListView {
            objectName: "conflictList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.spacingM
            model: page.model
            ScrollBar.vertical: ScrollBar { }

            delegate: Card {
                id: conflict
                required property int index
                required property string lostId
                required property string entityId
                required property string entityName
                required property string kindLabel
                required property string planTitle
                required property string field
                required property string fieldLabel
                required property string lostValue
                required property string lostValueJson
                required property string lostBy
                required property var lostAt
                required property string currentValue
                required property string currentBy
                required property var currentAt
                required property bool canRestore
                required property string cannotRestoreReason
                objectName: "conflictCard_" + index
                width: ListView.view.width

                Label {
                    Layout.fillWidth: true
                    text: qsTr("%1 “%2” — %3").arg(conflict.kindLabel).arg(conflict.entityName).arg(conflict.fieldLabel)
                    font.bold: true
                    wrapMode: Text.WordWrap
                }
                Label {
                    Layout.fillWidth: true
                    text: conflict.planTitle
                    color: Theme.textSecondary
                    visible: text.length > 0
                }
                GridLayout {
                    Layout.fillWidth: true
                    columns: 2
                    columnSpacing: Theme.spacingL
                    Label { text: qsTr("Now"); color: Theme.textSecondary }
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("%1 — by %2, %3").arg(conflict.currentValue.length > 0 ? conflict.currentValue : qsTr("(empty)"))
                              .arg(conflict.currentBy).arg(Theme.formatDateTime(conflict.currentAt))
                        wrapMode: Text.WordWrap
                    }
                    Label { text: qsTr("Overwritten"); color: Theme.red }
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("%1 — by %2, %3").arg(conflict.lostValue.length > 0 ? conflict.lostValue : qsTr("(empty)"))
                              .arg(conflict.lostBy).arg(Theme.formatDateTime(conflict.lostAt))
                        wrapMode: Text.WordWrap
                    }
                }
                Label {
                    Layout.fillWidth: true
                    visible: !conflict.canRestore
                    text: conflict.cannotRestoreReason
                    color: Theme.textSecondary
                    wrapMode: Text.WordWrap
                }
                Flow {
                    Layout.fillWidth: true
                    spacing: Theme.spacingS
                    Button {
                        objectName: "restoreButton"
                        text: qsTr("Restore “%1”").arg(conflict.lostValue)
                        highlighted: true
                        enabled: conflict.canRestore
                        Accessible.name: qsTr("Restore the overwritten value of %1").arg(conflict.fieldLabel)
                        onClicked: AppController.restoreValue(conflict.entityId, conflict.field, conflict.lostValueJson)
                    }
                    Button {
                        objectName: "keepButton"
                        text: qsTr("Keep current")
                        flat: true
                        Accessible.name: qsTr("Keep the current value of %1").arg(conflict.fieldLabel)
                        onClicked: AppController.dismissConflict(conflict.lostId)
                    }
                }
            }
            EmptyState {
                anchors.centerIn: parent
                width: parent.width - 2 * Theme.spacingXL
                visible: page.model.loaded && page.model.count === 0
                icon: "conflicts"
                title: qsTr("No conflicts")
                text: qsTr("When someone else's edit overwrites a value in a task or plan you own or are accountable for, it shows here.")
            }
        }
    }
}
