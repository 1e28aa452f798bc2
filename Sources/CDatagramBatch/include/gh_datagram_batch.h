// sendmmsg(2) and recvmmsg(2) for the relay benchmark's load generator and sink: Swift's Glibc module does not
// import struct mmsghdr, and a load generator that pays one system call per packet measures itself, not the relay.
#ifndef GATEHOUSE_DATAGRAM_BATCH_H
#define GATEHOUSE_DATAGRAM_BATCH_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

// The most datagrams one call of either function moves (the headers live on the stack: 20 KB).
#define GH_DATAGRAM_BATCH_MAX 256

// Sends `count` datagrams from `fd` in one sendmmsg: datagram i is `lengths[i]` bytes at `payloads[i]`, to
// `destinations[i]`. Returns how many the kernel took (fewer when the socket's buffer filled), or -1 with errno.
int gh_send_batch(int fd, const uint8_t *const *payloads, const size_t *lengths,
                  const struct sockaddr_in *destinations, unsigned count);

// Receives up to `count` datagrams on `fd` in one recvmmsg into `buffer`, `slot_size` bytes per datagram, waiting
// (within the socket's receive timeout) for the first only; datagram i's length goes to `lengths[i]`. Returns how
// many arrived, or -1 with errno (EAGAIN when the timeout passed with nothing).
int gh_receive_batch(int fd, uint8_t *buffer, size_t slot_size, unsigned count, size_t *lengths);

#endif
