using System.Text;
using Redoubt.Core.ControlPlane;
using Redoubt.Model;

namespace Redoubt.Output;

public static class ApplyReport
{
    /// <summary>One line per resource, the kubectl way: "redis default/example created".</summary>
    public static string Render(ApplyResult result)
    {
        var text = new StringBuilder();
        foreach (var applied in result.Applied)
        {
            text.Append($"redis {applied.Namespace}/{applied.Name} {applied.Change}\n");
        }
        return text.ToString();
    }

    /// <summary>One line per error, <c>file:line: path: message</c>, ready to be shown as one failure.</summary>
    public static string Errors(IEnumerable<ValidationError> errors) => string.Join('\n', errors.Select(error => error.ToString()));
}
