module hyperkube.local/e2e/ccaas-builder

go 1.22
