import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tandem
import Tandem.App

// The app's places. Wide: a side bar with every page, the signed-in user and the sync
// status. Narrow (a phone): a bottom bar with the five most used; the rest are under
// "More" (Settings). Badges count what waits for the user.
Rectangle {
    id: nav
    property bool wide: true
    property int approvals: 0
    property int conflicts: 0
    readonly property string current: AppController.page === "plan" ? "plans" : AppController.page

    readonly property var items: [
        { "page": "my-work", "label": qsTr("My work"), "icon": "work", "badge": 0, "phone": true },
        { "page": "plans", "label": qsTr("Plans"), "icon": "plans", "badge": 0, "phone": true },
        { "page": "approvals", "label": qsTr("Approvals"), "icon": "approvals", "badge": nav.approvals, "phone": true },
        { "page": "conflicts", "label": qsTr("Conflicts"), "icon": "conflicts", "badge": nav.conflicts, "phone": true },
        { "page": "rejected", "label": qsTr("Rejected edits"), "icon": "rejected", "badge": AppController.sync.rejected, "phone": false },
        { "page": "hq", "label": qsTr("HQ overview"), "icon": "hq", "badge": 0, "phone": false, "hqOnly": true },
        { "page": "settings", "label": nav.wide ? qsTr("Settings") : qsTr("More"), "icon": nav.wide ? "settings" : "more", "badge": 0, "phone": true }
    ]

    color: wide ? Theme.surface : Theme.surface
    implicitWidth: wide ? 240 : 0
    implicitHeight: wide ? 0 : bottomRow.implicitHeight + 2

    Rectangle {  // the border towards the content
        color: Theme.border
        width: nav.wide ? 1 : parent.width
        height: nav.wide ? parent.height : 1
        anchors.right: nav.wide ? parent.right : undefined
        anchors.top: parent.top
    }

    ColumnLayout {
        visible: nav.wide
        anchors.fill: parent
        anchors.margins: Theme.spacingM
        spacing: Theme.spacingS

        RowLayout {
            Layout.margins: Theme.spacingM
            spacing: Theme.spacingM
            Image { source: Theme.icon("logo"); sourceSize: Qt.size(28, 28) }
            Label { text: "Tandem"; font.pixelSize: Theme.fontTitle; font.bold: true; color: Theme.primary }
        }
        ColumnLayout {
            Layout.leftMargin: Theme.spacingM
            Layout.bottomMargin: Theme.spacingM
            spacing: 0
            Label {
                text: AppController.displayName
                font.bold: true
                visible: text.length > 0
                Layout.fillWidth: true
                elide: Text.ElideRight
            }
            Label {
                text: AppController.departmentName
                color: Theme.textSecondary
                font.pixelSize: Theme.fontCaption
                visible: text.length > 0
            }
        }
        Repeater {
            model: nav.items
            delegate: ItemDelegate {
                required property var modelData
                objectName: "nav_" + modelData.page
                Layout.fillWidth: true
                visible: !modelData.hqOnly || AppController.isHq
                highlighted: nav.current === modelData.page
                text: modelData.label
                icon.source: Theme.icon(modelData.icon)
                Accessible.name: modelData.label
                onClicked: AppController.openPage(modelData.page)
                Rectangle {
                    visible: modelData.badge > 0
                    anchors.right: parent.right
                    anchors.rightMargin: Theme.spacingM
                    anchors.verticalCenter: parent.verticalCenter
                    width: Math.max(22, badgeText.implicitWidth + 10)
                    height: 22
                    radius: 11
                    color: modelData.page === "rejected" ? Theme.red : Theme.primary
                    Label {
                        id: badgeText
                        anchors.centerIn: parent
                        text: Theme.formatNumber(modelData.badge)
                        color: "white"
                        font.pixelSize: Theme.fontCaption
                        font.bold: true
                    }
                }
            }
        }
        Item { Layout.fillHeight: true }
    }

    RowLayout {
        id: bottomRow
        visible: !nav.wide
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        spacing: 0
        Repeater {
            model: nav.items.filter(item => item.phone)
            delegate: ToolButton {
                required property var modelData
                objectName: "nav_" + modelData.page
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                display: AbstractButton.TextUnderIcon
                text: modelData.label
                font.pixelSize: Theme.fontCaption
                // Material capitalises button texts; five tabs on a 390 px phone need the room.
                font.capitalization: Font.MixedCase
                leftPadding: 2
                rightPadding: 2
                icon.source: Theme.icon(modelData.icon)
                icon.color: nav.current === modelData.page ? Theme.primary : Theme.textSecondary
                checked: nav.current === modelData.page
                Accessible.name: modelData.label
                onClicked: AppController.openPage(modelData.page)
                Rectangle {
                    visible: modelData.badge > 0
                    x: parent.width / 2 + 6
                    y: 4
                    width: Math.max(18, phoneBadge.implicitWidth + 8)
                    height: 18
                    radius: 9
                    color: Theme.primary
                    Label {
                        id: phoneBadge
                        anchors.centerIn: parent
                        text: Theme.formatNumber(modelData.badge)
                        color: "white"
                        font.pixelSize: Theme.fontCaption - 1
                        font.bold: true
                    }
                }
            }
        }
    }
}
