namespace Redoubt.Kubernetes.Tests;
