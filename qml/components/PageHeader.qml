import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tandem

// A page's title line: a back button when there is somewhere to go back to (phone),
// the title and a subtitle, and the page's own actions on the right.
RowLayout {
    id: header
    property string title
    property string subtitle
    property bool showBack: false
    default property alias actions: actionRow.data
    spacing: Theme.spacingM

    ToolButton {
        objectName: "backButton"
        visible: header.showBack
        icon.source: Theme.icon("back")
        Accessible.name: qsTr("Back")
        onClicked: AppController.back()
    }
    ColumnLayout {
        Layout.fillWidth: true
        spacing: 0
        Label {
            Layout.fillWidth: true
            text: header.title
            font.pixelSize: Theme.fontTitle
            font.bold: true
            color: Theme.text
            wrapMode: Text.WordWrap
            maximumLineCount: 2
            elide: Text.ElideRight
            Accessible.role: Accessible.Heading
        }
        Label {
            Layout.fillWidth: true
            visible: text.length > 0
            text: header.subtitle
            color: Theme.textSecondary
            wrapMode: Text.WordWrap
        }
    }
    RowLayout {
        id: actionRow
        spacing: Theme.spacingS
    }
}
