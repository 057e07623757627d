// CoreDNS with the plugins the Corefile kubeadm writes uses (errors, health, ready, kubernetes,
// prometheus, forward, cache, loop, reload, loadbalance) plus log: upstream's documented way to
// build CoreDNS with a chosen set of plugins (coremain + plugin imports), so the cloud DNS
// plugins and their SDKs are not built. For the kind node image (e2e/kind-node/).
package main

import (
	_ "github.com/coredns/caddy/onevent"
	"github.com/coredns/coredns/coremain"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/metrics"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"
)

func main() {
	coremain.Run()
}
