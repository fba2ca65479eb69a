import QtQuick
import QtQuick.Controls
import Tandem

// Red / yellow / green, as the templates mark a plan's or a task's state: colour and
// word (the word is for readers who do not tell the colours apart).
Rectangle {
    id: badge
    property string rag: "green"
    property bool compact: false

    readonly property string label: rag === "red" ? qsTr("Red") : rag === "yellow" ? qsTr("Yellow") : qsTr("Green")
    implicitWidth: compact ? 12 : text.implicitWidth + 16
    implicitHeight: compact ? 12 : text.implicitHeight + 6
    radius: height / 2
    color: compact ? Theme.ragColor(rag) : Theme.ragTint(rag)
    Accessible.role: Accessible.StaticText
    Accessible.name: qsTr("Status %1").arg(label)

    Label {
        id: text
        visible: !badge.compact
        anchors.centerIn: parent
        text: badge.label
        color: Theme.ragColor(badge.rag)
        font.pixelSize: Theme.fontCaption
        font.bold: true
    }
}
