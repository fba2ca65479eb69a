import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tandem

// What a list says when it has nothing to show, and why.
ColumnLayout {
    id: empty
    property string title
    property string text
    property string icon: "check"
    spacing: Theme.spacingM

    Image {
        Layout.alignment: Qt.AlignHCenter
        source: Theme.icon(empty.icon)
        sourceSize: Qt.size(40, 40)
        opacity: 0.35
    }
    Label {
        Layout.fillWidth: true
        horizontalAlignment: Text.AlignHCenter
        text: empty.title
        font.pixelSize: Theme.fontSubtitle
        font.bold: true
        color: Theme.text
        wrapMode: Text.WordWrap
    }
    Label {
        Layout.fillWidth: true
        horizontalAlignment: Text.AlignHCenter
        text: empty.text
        visible: text.length > 0
        color: Theme.textSecondary
        wrapMode: Text.WordWrap
    }
}
