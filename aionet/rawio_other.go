//go:build unix && !linux

package aionet

import "golang.org/x/sys/unix"

func readNB(fd int, p []byte) (int, error)  { return unix.Read(fd, p) }
func writeNB(fd int, p []byte) (int, error) { return unix.Write(fd, p) }
