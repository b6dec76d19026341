// Kubernetes 1.27 API types for cdk8s. `cdk8s import k8s` downloads the schema from the
// internet; offline, we reuse the identical generated module that cdk8s-plus-27 ships.
export * from 'cdk8s-plus-27/lib/imports/k8s';
