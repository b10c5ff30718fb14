using Redoubt.Core;

namespace Redoubt.Commands;

public static class NotFound
{
    public static RedoubtException Resource(string @namespace, string name, Invocation invocation) =>
        new($"redis {@namespace}/{name} not found in {invocation.Home}: list the resources with `{invocation.Redoubt} get`");
}
