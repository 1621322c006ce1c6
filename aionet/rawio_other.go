//go:build unix && !linux

package aionet

import "golang.org/x/sys/unix"

func readNB(fd int, p []byte) (int, error)  { return unix.Read(fd, p) }
func writeNB(fd int, p []byte) (int, error) { return unix.Write(fd, p) }

func recvfromNB(fd int, p []byte) (int, peer, error) {
	n, sa, err := unix.Recvfrom(fd, p, 0)
	if err != nil {
		return 0, peer{}, err
	}
	return n, peerOf(sa), nil
}

func sendtoNB(fd int, p []byte, to peer) error {
	sa, err := to.sockaddr()
	if err != nil {
		return err
	}
	return unix.Sendto(fd, p, 0, sa)
}
