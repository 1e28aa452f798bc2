// sendmmsg and recvmmsg with the message headers on the stack (see include/gh_datagram_batch.h).
#define _GNU_SOURCE
#include "gh_datagram_batch.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

// Message i gets vector i as its only buffer.
static void gh_link_vectors(struct mmsghdr *messages, struct iovec *vectors, unsigned count) {
    memset(messages, 0, sizeof(struct mmsghdr) * count);
    for (unsigned i = 0; i < count; i++) {
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
    }
}

int gh_send_batch(int fd, const uint8_t *const *payloads, const size_t *lengths,
                  const struct sockaddr_in *destinations, unsigned count) {
    struct mmsghdr messages[GH_DATAGRAM_BATCH_MAX];
    struct iovec vectors[GH_DATAGRAM_BATCH_MAX];
    if (count > GH_DATAGRAM_BATCH_MAX) {
        count = GH_DATAGRAM_BATCH_MAX;
    }
    gh_link_vectors(messages, vectors, count);
    for (unsigned i = 0; i < count; i++) {
        vectors[i].iov_base = (void *)payloads[i];
        vectors[i].iov_len = lengths[i];
        messages[i].msg_hdr.msg_name = (void *)&destinations[i];
        messages[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_in);
    }
    int sent;
    do {
        sent = sendmmsg(fd, messages, count, 0);
    } while (sent < 0 && errno == EINTR);
    return sent;
}

int gh_receive_batch(int fd, uint8_t *buffer, size_t slot_size, unsigned count, size_t *lengths) {
    struct mmsghdr messages[GH_DATAGRAM_BATCH_MAX];
    struct iovec vectors[GH_DATAGRAM_BATCH_MAX];
    if (count > GH_DATAGRAM_BATCH_MAX) {
        count = GH_DATAGRAM_BATCH_MAX;
    }
    gh_link_vectors(messages, vectors, count);
    for (unsigned i = 0; i < count; i++) {
        vectors[i].iov_base = buffer + (size_t)i * slot_size;
        vectors[i].iov_len = slot_size;
    }
    int received;
    do {
        received = recvmmsg(fd, messages, count, MSG_WAITFORONE, NULL);
    } while (received < 0 && errno == EINTR);
    for (int i = 0; i < received; i++) {
        lengths[i] = messages[i].msg_len;
    }
    return received;
}
