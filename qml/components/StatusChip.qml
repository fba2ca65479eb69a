import QtQuick
import QtQuick.Controls
import Tandem

// A quiet pill for a status or a role ("In progress", "Owner").
Rectangle {
    id: chip
    property string text
    property color tint: Theme.offlineTint
    property color textColor: Theme.textSecondary
    implicitWidth: label.implicitWidth + 14
    implicitHeight: label.implicitHeight + 6
    radius: height / 2
    color: tint
    visible: text.length > 0

    Label {
        id: label
        anchors.centerIn: parent
        text: chip.text
        color: chip.textColor
        font.pixelSize: Theme.fontCaption
    }
}
