// libpcap for Swift. Everything needed (pcap_open_dead, pcap_dump*, pcap_open_offline,
// pcap_next_ex, DLT_* constants) imports directly; no wrappers needed yet.
#ifndef GATEHOUSE_CPCAP_SHIM_H
#define GATEHOUSE_CPCAP_SHIM_H

#include <pcap/pcap.h>

#endif
