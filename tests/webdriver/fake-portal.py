"""A desktop's settings portal (org.freedesktop.portal.Settings) on the test's session bus, for
the window's light or dark: answers Read for org.freedesktop.appearance color-scheme with the
scheme it was started with, and, for each scheme written on its standard input (a line: 0 no
preference, 1 dark, 2 light), answers that one from then on and announces it (SettingChanged),
as a desktop does when its user switches. Prints "ready" once it owns the portal's name.

    /usr/bin/python3 fake-portal.py SCHEME      (Debian's python3-gi)
"""

import sys

from gi.repository import Gio, GLib

INTERFACE = """<node><interface name="org.freedesktop.portal.Settings">
  <method name="Read"><arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="v" direction="out"/></method>
  <signal name="SettingChanged"><arg type="s"/><arg type="s"/><arg type="v"/></signal>
</interface></node>"""
PATH = "/org/freedesktop/portal/desktop"
SETTINGS = "org.freedesktop.portal.Settings"
APPEARANCE = ("org.freedesktop.appearance", "color-scheme")

scheme = int(sys.argv[1])
bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)


def answer(_bus, _sender, _path, _interface, _method, args, call):
    if tuple(args.unpack()) == APPEARANCE:
        # Read's value is a variant in a variant, as the real portal answers.
        inner = GLib.Variant("v", GLib.Variant("u", scheme))
        call.return_value(GLib.Variant("(v)", (inner,)))
    else:
        call.return_dbus_error("org.freedesktop.portal.Error.NotFound", "no such setting")


def told(source, _condition):
    global scheme
    line = source.readline()
    if not line:
        loop.quit()
        return False
    scheme = int(line)
    changed = GLib.Variant("(ssv)", (*APPEARANCE, GLib.Variant("u", scheme)))
    bus.emit_signal(None, PATH, SETTINGS, "SettingChanged", changed)
    bus.flush_sync(None)
    print(f"announced {scheme}", flush=True)
    return True


def owned(*_):
    print("ready", flush=True)


node = Gio.DBusNodeInfo.new_for_xml(INTERFACE)
bus.register_object(PATH, node.interfaces[0], answer, None, None)
Gio.bus_own_name_on_connection(bus, "org.freedesktop.portal.Desktop", 0, owned, None)
GLib.io_add_watch(sys.stdin, GLib.IO_IN | GLib.IO_HUP, told)
loop = GLib.MainLoop()
loop.run()
