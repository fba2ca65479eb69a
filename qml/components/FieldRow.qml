import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tandem

// One "label: value" line of an overview; hidden when there is no value.
ColumnLayout {
    id: row
    property string label
    property string value
    visible: value.length > 0
    spacing: 2
    Layout.fillWidth: true

    Label {
        text: row.label
        color: Theme.textSecondary
        font.pixelSize: Theme.fontCaption
        Layout.fillWidth: true
        wrapMode: Text.WordWrap
    }
    Label {
        text: row.value
        color: Theme.text
        Layout.fillWidth: true
        wrapMode: Text.WordWrap
        textFormat: Text.PlainText
    }
}
