import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tandem
import Tandem.App

// Edits the server refused, one card per record: what was typed, why (the server's
// words, for the field refused for itself), and what the fields show now (the
// server's values), or that a new record was not kept.
Item {
    id: page
    RejectedModel { id: rejected }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacingL
        spacing: Theme.spacingM

        PageHeader {
            Layout.fillWidth: true
            showBack: AppController.canGoBack
            title: qsTr("Rejected edits")
            subtitle: qsTr("The server refused these edits; the fields show the server's values again.")
        }
        ListView {
            objectName: "rejectedList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.spacingM
            model: rejected
            ScrollBar.vertical: ScrollBar { }
            delegate: Card {
                id: edit
                required property int index
                required property string entityName
                required property string kindLabel
                required property string planTitle
                required property string fieldLabel
                required property string value
                required property string code
                required property string message
                required property string currentValue
                required property bool notKept
                required property var rejectedAt
                // One refused record: a progress report's fields together, not one card each.
                readonly property bool oneField: edit.fieldLabel.indexOf(", ") < 0
                objectName: "rejectedCard_" + index
                width: ListView.view.width
                Label {
                    Layout.fillWidth: true
                    text: edit.oneField ? qsTr("%1 “%2” — %3").arg(edit.kindLabel).arg(edit.entityName).arg(edit.fieldLabel)
                                        : qsTr("%1 “%2”").arg(edit.kindLabel).arg(edit.entityName)
                    font.bold: true
                    wrapMode: Text.WordWrap
                }
                Label {
                    Layout.fillWidth: true
                    text: [edit.planTitle, Theme.formatDateTime(edit.rejectedAt)].filter(s => s.length > 0).join(" · ")
                    color: Theme.textSecondary
                    font.pixelSize: Theme.fontCaption
                }
                FieldRow { label: qsTr("You wrote"); value: edit.value.length > 0 ? edit.value : qsTr("(empty)") }
                FieldRow { label: qsTr("Refused because (%1)").arg(edit.code); value: edit.message }
                FieldRow {
                    label: qsTr("It shows now")
                    value: edit.notKept ? qsTr("Not kept: the server did not accept this record, so it is on no device")
                                        : edit.currentValue.length > 0 ? edit.currentValue : qsTr("(empty)")
                }
            }
            EmptyState {
                anchors.centerIn: parent
                width: parent.width - 2 * Theme.spacingXL
                visible: rejected.loaded && rejected.count === 0
                icon: "rejected"
                title: qsTr("No rejected edits")
                text: qsTr("Everything you sent was accepted.")
            }
        }
    }
}
