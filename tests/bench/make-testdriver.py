#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A libvirt test-driver node file holding COUNT guests, for measuring long guest lists.

Every second guest runs, every third is a Xen PV guest (os type "xen"), the rest HVM; each has a
VNC display. Open the file with the URI test:///ABSOLUTE/PATH.

usage: tests/bench/make-testdriver.py COUNT OUT.xml
"""
import sys
import xml.etree.ElementTree as ET

TEST_NS = "http://libvirt.org/schemas/domain/test/1.0"
RUNNING, SHUTOFF = 1, 5  # virDomainState


def guest(index):
    dom = ET.Element("domain", type="test")
    ET.SubElement(dom, "name").text = "guest-%05d" % index
    ET.SubElement(dom, "memory", unit="MiB").text = str(128 + (index % 8) * 64)
    ET.SubElement(dom, "vcpu").text = str(1 + index % 4)
    os_ = ET.SubElement(dom, "os")
    ET.SubElement(os_, "type", arch="x86_64").text = "xen" if index % 3 == 0 else "hvm"
    ET.SubElement(dom, "on_poweroff").text = "destroy"
    devices = ET.SubElement(dom, "devices")
    ET.SubElement(devices, "graphics", type="vnc", port="-1", autoport="yes")
    ET.SubElement(dom, "{%s}runstate" % TEST_NS).text = str(RUNNING if index % 2 == 0 else SHUTOFF)
    return dom


def main(argv):
    if len(argv) != 3 or not argv[1].isdigit():
        sys.exit("usage: make-testdriver.py COUNT OUT.xml")
    count, out = int(argv[1]), argv[2]
    ET.register_namespace("test", TEST_NS)
    node = ET.Element("node")
    cpu = ET.SubElement(node, "cpu")
    for tag, value in (("mhz", 2400), ("nodes", 1), ("sockets", 1), ("cores", 4), ("threads", 1)):
        ET.SubElement(cpu, tag).text = str(value)
    ET.SubElement(node, "memory").text = str(8 * 1024 * 1024)
    for i in range(count):
        node.append(guest(i))
    ET.ElementTree(node).write(out, encoding="unicode", xml_declaration=False)


if __name__ == "__main__":
    main(sys.argv)
