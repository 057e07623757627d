// Our own helper (standard library only): generates the harness's CA, serving certificate and
// service-account signing key for one control-plane run.
module kfd-k8s-harness/certs

go 1.26.0
