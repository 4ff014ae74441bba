# Debian's Chromium, for the browser tests (playwright-core drives it; no browser download is
# needed). Installed on demand by `stack.sh chromium`, which test/helpers/browser.ts runs when a
# test launches a browser and none is installed; `up` never installs it, nor does the stack start it.

chromium_install() {
  [ -x /usr/bin/chromium ] || stack_apt_install chromium
}
