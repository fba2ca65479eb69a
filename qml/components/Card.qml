import QtQuick
import QtQuick.Layouts
import Tandem

// A white card with a border: the unit of every list and section.
Rectangle {
    id: card
    default property alias content: column.data
    property alias spacing: column.spacing
    property int padding: Theme.spacingL
    property bool highlighted: false

    color: Theme.surface
    radius: Theme.radius
    border.color: highlighted ? Theme.primary : Theme.border
    border.width: highlighted ? 2 : 1
    implicitHeight: column.implicitHeight + 2 * padding
    implicitWidth: column.implicitWidth + 2 * padding

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: card.padding
        spacing: Theme.spacingM
    }
}
