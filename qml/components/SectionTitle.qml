import QtQuick
import QtQuick.Controls
import Tandem

Label {
    font.pixelSize: Theme.fontCaption
    font.bold: true
    font.capitalization: Font.AllUppercase
    font.letterSpacing: 0.6
    color: Theme.textSecondary
    topPadding: Theme.spacingM
    wrapMode: Text.WordWrap
}
