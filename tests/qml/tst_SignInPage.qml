import QtQuick
import QtTest
import Tandem
import Tandem.App
import Tandem.Test

// Signing in on a fresh device: a wrong password says so and signs nobody in; an
// unreachable server says so; the right password opens My work.
Item {
    width: 390
    height: 844

    SignInPage { id: page; anchors.fill: parent }

    TestCase {
        name: "SignInPage"
        when: windowShown

        function findChild(item, objectName) {
            if (!item) return null
            if (item.objectName === objectName) return item
            for (let i = 0; i < item.children.length; ++i) {
                const found = findChild(item.children[i], objectName)
                if (found) return found
            }
            if (item.contentItem && item.contentItem !== item) return findChild(item.contentItem, objectName)
            return null
        }
        function signIn(server, user, password) {
            const serverField = findChild(page, "serverField")
            serverField.text = server
            findChild(page, "usernameField").text = user
            findChild(page, "passwordField").text = password
            mouseClick(findChild(page, "signInButton"))
            tryVerify(() => !AppController.signingIn, 20000)
        }

        function test_1_wrongPassword() {
            compare(AppController.session, AppController.SignedOut)
            signIn(TestBackend.serverUrl, "sales.li", "not-the-password")
            verify(AppController.signInError.length > 0)
            verify(AppController.signInError.indexOf("password") >= 0, AppController.signInError)
            compare(AppController.session, AppController.SignedOut)
            verify(findChild(page, "signInError").visible)
        }

        function test_2_unreachableServer() {
            signIn("http://127.0.0.1:9", "sales.li", "tandem-demo")
            verify(AppController.signInError.indexOf("cannot be reached") >= 0, AppController.signInError)
            compare(AppController.session, AppController.SignedOut)
        }

        function test_3_rightPasswordOpensMyWork() {
            signIn(TestBackend.serverUrl, "sales.li", "tandem-demo")
            compare(AppController.signInError, "")
            compare(AppController.session, AppController.SignedIn)
            compare(AppController.page, "my-work")
            compare(AppController.displayName, "李娜")
        }
    }
}
