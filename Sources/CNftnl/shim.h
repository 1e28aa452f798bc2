// libnftnl + libmnl (netlink batches for nftables) for Swift.
#ifndef GATEHOUSE_CNFTNL_SHIM_H
#define GATEHOUSE_CNFTNL_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/types.h>
// glibc's socket/in headers must come before any <linux/...> header: linux/libc-compat.h then skips its
// own in_addr, sockaddr_in, in6_addr, ... and the module agrees with Glibc (and CPcap) on those types.
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#include <libmnl/libmnl.h>

#include <libnftnl/common.h>
#include <libnftnl/batch.h>
#include <libnftnl/table.h>
#include <libnftnl/chain.h>
#include <libnftnl/set.h>
#include <libnftnl/rule.h>
#include <libnftnl/expr.h>
#include <libnftnl/object.h>
#include <libnftnl/gen.h>
#include <libnftnl/udata.h>

// MNL_SOCKET_BUFFER_SIZE calls sysconf() inside a macro, so it does not import:
// the recommended size of netlink receive buffers and batch pages.
static inline size_t gh_mnl_socket_buffer_size(void) { return (size_t)MNL_SOCKET_BUFFER_SIZE; }

// MNL_NLMSG_HDRLEN is built from MNL_ALIGN (a function-like macro), so it does not import.
static inline size_t gh_mnl_nlmsg_hdrlen(void) { return MNL_NLMSG_HDRLEN; }

// Note: nftnl_table_nlmsg_build_hdr, nftnl_chain_nlmsg_build_hdr, ... are #define aliases that do not
// import; call nftnl_nlmsg_build_hdr directly.

#endif
