import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tandem

// Warnings as the core words them, each with its colour: `warnings` is a list of
// texts (all of one colour, `rag`) or of {rag, text}.
ColumnLayout {
    id: list
    property var warnings: []
    property string rag: "yellow"
    spacing: Theme.spacingS
    visible: warnings && warnings.length > 0

    Repeater {
        model: list.warnings
        delegate: RowLayout {
            required property var modelData
            readonly property string itemRag: typeof modelData === "string" ? list.rag : modelData.rag
            readonly property string itemText: typeof modelData === "string" ? modelData : modelData.text
            Layout.fillWidth: true
            spacing: Theme.spacingM
            Rectangle {
                Layout.alignment: Qt.AlignTop
                Layout.topMargin: 5
                width: 8; height: 8; radius: 4
                color: Theme.ragColor(parent.itemRag)
            }
            Label {
                Layout.fillWidth: true
                text: parent.itemText
                wrapMode: Text.WordWrap
                color: parent.itemRag === "red" ? Theme.red : Theme.text
                font.pixelSize: Theme.fontCaption
                textFormat: Text.PlainText
            }
        }
    }
}
