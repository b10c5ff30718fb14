using System.Diagnostics;

namespace Redoubt.Model.Tests.HostileInput;

/// <summary>
/// What loading one file came to, and every way it broke the contract: the loader either accepts the file (and every
/// resource then validates, resolves its defaults, and survives a round trip through <c>get -o yaml</c>) or rejects
/// it with errors that each name the file, a line inside it and a field path, on one line, without a stack trace;
/// and it never throws.
/// </summary>
internal sealed record LoadVerdict(bool Accepted, LoadResult? Result, TimeSpan Elapsed, IReadOnlyList<string> Problems)
{
    public const string FileName = "hostile.yaml";

    /// <summary>Longer than this, an error message echoes too much of what it was given.</summary>
    private const int MaxMessageLength = 2000;

    public static LoadVerdict Of(string text)
    {
        var problems = new List<string>();
        var clock = Stopwatch.StartNew();
        LoadResult result;
        try
        {
            result = ResourceLoader.Load(text, FileName);
        }
        catch (Exception e)
        {
            problems.Add($"the loader threw {e.GetType().Name}: {e.Message}");
            return new LoadVerdict(false, null, clock.Elapsed, problems);
        }

        var elapsed = clock.Elapsed;
        if (result.Succeeded)
        {
            CheckAccepted(result, problems);
        }
        else
        {
            CheckRejected(text, result, problems);
        }

        return new LoadVerdict(result.Succeeded, result, elapsed, problems);
    }

    private static void CheckAccepted(LoadResult result, List<string> problems)
    {
        if (result.Resources.Count == 0)
        {
            problems.Add("accepted with no resource");
        }

        foreach (var resource in result.Resources)
        {
            try
            {
                if (ResourceValidator.Validate(resource, FileName) is { Count: > 0 } errors)
                {
                    problems.Add($"accepted {resource.Key}, which does not validate: {string.Join("; ", errors)}");
                }

                var spec = SpecDefaults.Resolve(resource.Spec);
                string[] strings =
                [
                    resource.Metadata.Name, resource.Metadata.Namespace, spec.Size, spec.StorageClass, spec.ResourcesPreset,
                    spec.Version ?? "", spec.MaxmemoryPolicy, spec.Resources.Cpu, spec.Resources.Memory, spec.Sentinel.Resources.Cpu,
                    spec.Sentinel.Resources.Memory, .. spec.Zones, .. resource.Metadata.Labels.Keys, .. resource.Metadata.Labels.Values,
                    .. resource.Metadata.Annotations.Keys, ResourceAnnotations.RestartedAtOf(resource) ?? "",
                ];
                foreach (var value in strings.Where(s => s.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029') || !IsValidUtf16(s)))
                {
                    problems.Add($"accepted {resource.Key} with a line break, control character or broken UTF-16 in {YamlText.DoubleQuoted(value[..Math.Min(80, value.Length)])}");
                }

                var yaml = ResourceSerializer.ToYaml(resource);
                var again = ResourceLoader.Load(yaml, "get-o-yaml");
                if (!again.Succeeded)
                {
                    problems.Add($"accepted {resource.Key}, but its own YAML (get -o yaml) is rejected: {string.Join("; ", again.Errors)}");
                }
                else if (ResourceSerializer.ToJson(again.Resources[0]) != ResourceSerializer.ToJson(resource))
                {
                    problems.Add($"accepted {resource.Key}, but its own YAML (get -o yaml) reads back differently");
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                problems.Add($"accepted {resource.Key}, then {e.GetType().Name} using it: {e.Message}");
            }
        }
    }

    private static void CheckRejected(string text, LoadResult result, List<string> problems)
    {
        if (result.Resources.Count > 0)
        {
            problems.Add("rejected, yet with resources");
        }

        if (result.Errors.Count == 0)
        {
            problems.Add("rejected without an error");
        }

        // As YAML counts them: a carriage return alone, NEL and the Unicode separators end a line too.
        var lines = 1 + System.Text.RegularExpressions.Regex.Count(text, "\r\n|[\r\n\u0085\u2028\u2029]");
        foreach (var error in result.Errors)
        {
            var shown = error.ToString();
            var excerpt = shown.Length > 300 ? shown[..300] + "..." : shown;
            if (error.File != FileName || !shown.StartsWith(FileName, StringComparison.Ordinal))
            {
                problems.Add($"an error does not name the file: {excerpt}");
            }

            if (error.Line is not { } line)
            {
                // A file with no document in it has no line to point at.
                if (!error.Message.StartsWith("no resource found", StringComparison.Ordinal))
                {
                    problems.Add($"an error names no line: {excerpt}");
                }
            }
            else if (line < 1 || line > lines + 1)
            {
                problems.Add($"an error names line {line} of a file of {lines}: {excerpt}");
            }

            if (error.Path.Length == 0 && !IsAboutTheWholeFile(error.Message))
            {
                problems.Add($"an error about a field names no field path: {excerpt}");
            }

            if (string.IsNullOrWhiteSpace(error.Message))
            {
                problems.Add($"an empty error message: {excerpt}");
            }

            if (shown.Any(IsInvisible) || !IsValidUtf16(shown))
            {
                problems.Add($"an error is not one clean line of text: {YamlText.DoubleQuoted(excerpt)}");
            }

            if (shown.Contains("   at ", StringComparison.Ordinal) || shown.Contains("Exception", StringComparison.Ordinal))
            {
                problems.Add($"an error carries a .NET exception or stack trace: {excerpt}");
            }

            if (shown.Length > MaxMessageLength)
            {
                problems.Add($"an error of {shown.Length} characters: {excerpt}");
            }
        }
    }

    /// <summary>Messages about the file as a whole, which has no field to name.</summary>
    private static bool IsAboutTheWholeFile(string message) =>
        message.StartsWith("not valid YAML", StringComparison.Ordinal)
        || message.StartsWith("the document must be", StringComparison.Ordinal)
        || message.StartsWith("no resource found", StringComparison.Ordinal)
        || message.StartsWith("cannot read the file", StringComparison.Ordinal);

    /// <summary>What would break an error's line or hide or reorder its text (a right-to-left override, a zero-width space).</summary>
    private static bool IsInvisible(char c) =>
        char.IsControl(c) || System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format
            or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator;

    /// <summary>Surrogates are fine in a message as long as they pair up (an emoji echoed back); a lone half breaks UTF-8 output.</summary>
    private static bool IsValidUtf16(string text) =>
        System.Text.Unicode.Utf8.FromUtf16(text, new byte[text.Length * 3], out _, out _, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done;

    public override string ToString() =>
        $"{(Accepted ? "accepted" : "rejected")} in {Elapsed.TotalMilliseconds:F0} ms" + (Result is { Errors.Count: > 0 } r ? ": " + string.Join(" | ", r.Errors.Take(3)) : "");
}
