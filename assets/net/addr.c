/*
 * kcluster-addr: adds or removes one IPv4 /32 address on a network interface through rtnetlink, the
 * one thing the in-network proxy (kcluster-net, docs/networking.md) needs from the kernel and cannot
 * do from Node. A ClusterIP held this way on the cluster bridge is reachable from every pod and from
 * the host. Needs CAP_NET_ADMIN in the container's own network namespace only.
 *
 *   kcluster-addr add 10.200.128.23 eth0     exit 0, or 0 when the address is already there
 *   kcluster-addr del 10.200.128.23 eth0     exit 0, or 0 when the address is already gone
 *
 * Anything else exits 2 with usage; a kernel refusal exits 1 with its reason.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct request {
  struct nlmsghdr header;
  struct ifaddrmsg addr;
  char attributes[64];
};

static void add_attribute(struct request *req, unsigned short type, const void *data, unsigned short length) {
  struct rtattr *attr = (struct rtattr *)((char *)req + NLMSG_ALIGN(req->header.nlmsg_len));
  attr->rta_type = type;
  attr->rta_len = RTA_LENGTH(length);
  memcpy(RTA_DATA(attr), data, length);
  req->header.nlmsg_len = NLMSG_ALIGN(req->header.nlmsg_len) + RTA_ALIGN(attr->rta_len);
}

static int usage(void) {
  fputs("usage: kcluster-addr add|del IPV4 INTERFACE\n", stderr);
  return 2;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "-v") == 0) return puts("kcluster-addr 1") < 0;
  if (argc != 4) return usage();
  int adding = strcmp(argv[1], "add") == 0;
  if (!adding && strcmp(argv[1], "del") != 0) return usage();
  struct in_addr ip;
  if (inet_pton(AF_INET, argv[2], &ip) != 1) return usage();
  unsigned int index = if_nametoindex(argv[3]);
  if (index == 0) {
    fprintf(stderr, "kcluster-addr: no interface %s: %s\n", argv[3], strerror(errno));
    return 1;
  }

  struct request req;
  memset(&req, 0, sizeof req);
  req.header.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg));
  req.header.nlmsg_type = adding ? RTM_NEWADDR : RTM_DELADDR;
  req.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (adding ? NLM_F_CREATE | NLM_F_EXCL : 0);
  req.header.nlmsg_seq = 1;
  req.addr.ifa_family = AF_INET;
  req.addr.ifa_prefixlen = 32;
  req.addr.ifa_scope = RT_SCOPE_UNIVERSE;
  req.addr.ifa_index = index;
  add_attribute(&req, IFA_LOCAL, &ip, sizeof ip);
  add_attribute(&req, IFA_ADDRESS, &ip, sizeof ip);

  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  if (fd < 0 || sendto(fd, &req, req.header.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) {
    fprintf(stderr, "kcluster-addr: netlink: %s\n", strerror(errno));
    return 1;
  }
  char reply[4096];
  ssize_t length = recv(fd, reply, sizeof reply, 0);
  close(fd);
  struct nlmsghdr *answer = (struct nlmsghdr *)reply;
  if (length < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) || answer->nlmsg_type != NLMSG_ERROR) {
    fputs("kcluster-addr: no acknowledgement from the kernel\n", stderr);
    return 1;
  }
  int error = -((struct nlmsgerr *)NLMSG_DATA(answer))->error;
  /* Idempotent: adding what is there, or removing what is gone, is success. */
  if (error == 0 || (adding && error == EEXIST) || (!adding && error == EADDRNOTAVAIL)) return 0;
  fprintf(stderr, "kcluster-addr: %s %s on %s: %s\n", argv[1], argv[2], argv[3], strerror(error));
  return 1;
}
