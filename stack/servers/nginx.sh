# nginx from Debian's packages. The dashboard configures and starts it; the stack only installs it.

nginx_install() {
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || stack_apt_install nginx
}
