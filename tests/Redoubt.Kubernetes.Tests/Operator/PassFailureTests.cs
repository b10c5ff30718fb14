using System.Net;
using k8s.Autorest;
using Redoubt.Platforms.Kubernetes.Operator;
using Redoubt.Platforms.Kubernetes.Platform;

namespace Redoubt.Kubernetes.Tests.Operator;

public sealed class PassFailureTests
{
    [Fact]
    public void AnApiErrorNamesTheCallAndTheServersMessage()
    {
        var error = new HttpOperationException("Operation returned an invalid status code 'InternalServerError'")
        {
            Request = new HttpRequestMessageWrapper(
                new HttpRequestMessage(HttpMethod.Patch, "https://127.0.0.1:6443/apis/apps/v1/namespaces/shop/statefulsets/rfr-redis-cart"), ""),
            Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.InternalServerError),
                """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"field not declared in schema","code":500}"""),
        };

        Assert.Equal("PATCH /apis/apps/v1/namespaces/shop/statefulsets/rfr-redis-cart: the API server answered 500 field not declared in schema",
            PassFailure.Describe(error));
    }

    [Fact]
    public void AnImmutableFieldIsItsOwnMessageAndOtherErrorsNameTheirType()
    {
        Assert.Equal("spec.storageClass: is immutable", PassFailure.Describe(new ImmutableFieldException("spec.storageClass: is immutable")));
        Assert.Equal("TimeoutException: no answer", PassFailure.Describe(new TimeoutException("no answer")));
    }

    [Fact]
    public void LongMessagesAreCut()
    {
        Assert.True(PassFailure.Describe(new InvalidOperationException(new string('x', 5000))).Length < 1000);
    }
}
