pragma Singleton
import QtQuick
import Tandem.App

// Colours, spacing and type sizes of the app, in one place. Type sizes follow the
// application font (a larger system font, or TANDEM_FONT_SCALE, scales every text).
QtObject {
    readonly property color primary: "#2b59c3"
    readonly property color primaryDark: "#1e3f8f"
    readonly property color primaryTint: "#e8eefb"
    readonly property color background: "#f4f6fa"
    readonly property color surface: "#ffffff"
    readonly property color border: "#e2e6ee"
    readonly property color text: "#1b2230"
    readonly property color textSecondary: "#5e6778"
    readonly property color textTertiary: "#8a93a3"
    readonly property color red: "#c8372b"
    readonly property color redTint: "#fdecea"
    readonly property color yellow: "#b26b00"
    readonly property color yellowTint: "#fff3dc"
    readonly property color green: "#1e7f3b"
    readonly property color greenTint: "#e6f4ea"
    readonly property color offline: "#6b7280"
    readonly property color offlineTint: "#eef0f3"

    readonly property int spacingS: 4
    readonly property int spacingM: 8
    readonly property int spacingL: 16
    readonly property int spacingXL: 24
    readonly property int radius: 10

    // The application font's size is the body size; the rest scale with it.
    readonly property real base: Qt.application.font.pixelSize > 0 ? Qt.application.font.pixelSize : 14
    readonly property real fontCaption: Math.round(base * 0.86)
    readonly property real fontBody: base
    readonly property real fontSubtitle: Math.round(base * 1.14)
    readonly property real fontTitle: Math.round(base * 1.43)
    readonly property real fontDisplay: Math.round(base * 2.3)

    // Below this width the app is one column with bottom navigation (a phone).
    readonly property int wideBreakpoint: 700

    // Dates and times in the user's language (AppController.localeName).
    readonly property var locale: Qt.locale(AppController.localeName)
    function formatDate(date) {
        if (!date || isNaN(date)) return ""
        return date.toLocaleDateString(locale, Locale.ShortFormat)
    }
    function formatDateTime(dateTime) {
        if (!dateTime || isNaN(dateTime)) return ""
        return dateTime.toLocaleString(locale, Locale.ShortFormat)
    }
    function formatTime(dateTime) {
        if (!dateTime || isNaN(dateTime)) return ""
        const now = new Date()
        if (dateTime.toDateString() === now.toDateString())
            return dateTime.toLocaleTimeString(locale, Locale.ShortFormat)
        return dateTime.toLocaleString(locale, Locale.ShortFormat)
    }
    function formatPercent(value) { return Number(value).toLocaleString(locale, "f", 0) + "%" }
    function formatNumber(value) { return Number(value).toLocaleString(locale, "f", 0) }

    function icon(name) { return "qrc:/qt/qml/Tandem/icons/" + name + ".svg" }
    function ragColor(rag) { return rag === "red" ? red : rag === "yellow" ? yellow : green }
    function ragTint(rag) { return rag === "red" ? redTint : rag === "yellow" ? yellowTint : greenTint }
}
