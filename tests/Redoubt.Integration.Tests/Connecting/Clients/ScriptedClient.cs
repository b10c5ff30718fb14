using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Redoubt.Integration.Tests.Connecting.Clients;

/// <summary>
/// A writer script (tests/clients/python/writer.py, tests/clients/node/writer.js) in a process of its own: its settings,
/// password included, go to its stdin as one line of JSON, never onto its command line or into its environment, where
/// any user of the machine could read them. Each line it prints is parsed as it arrives: <c>ok &lt;n&gt; &lt;unix-ms&gt;</c>
/// for an acknowledged write, <c>err &lt;unix-ms&gt; &lt;message&gt;</c> for a failed one. Closing its stdin stops it.
/// </summary>
internal sealed class ScriptedClient : IFailoverClient
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly Task _reading;
    private readonly Task<string> _errors;
    private readonly Lock _lock = new();
    private Task? _stopped;
    private bool _stopping;
    private string? _unexpected;

    private ScriptedClient(string name, Process process, ClientWrites writes)
    {
        Name = name;
        Writes = writes;
        _process = process;
        _reading = Task.Run(ReadAsync);
        _errors = process.StandardError.ReadToEndAsync();
    }

    public string Name { get; }

    public ClientWrites Writes { get; }

    public bool StoppedByItself
    {
        get
        {
            lock (_lock)
            {
                return !_stopping && _process.HasExited;
            }
        }
    }

    public async Task<string> HowItStoppedAsync()
    {
        // Its output ends a moment after it exits; what it said last is the useful part.
        await Task.WhenAll(_reading, _errors).WaitAsync(StopLimit).ConfigureAwait(false);
        return HowItExited();
    }

    /// <summary>Starts <paramref name="program"/> with <paramref name="arguments"/> and hands it its settings.</summary>
    public static async Task<ScriptedClient> StartAsync(string name, string program, IEnumerable<string> arguments, ClientSettings settings)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // No byte-order mark before the JSON: neither json.loads nor JSON.parse accepts one.
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name}: {program} did not start");
        var client = new ScriptedClient(name, process, new ClientWrites(settings.Prefix));
        try
        {
            await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(settings, ClientSettings.Json)).ConfigureAwait(false);
            await process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // It exited before reading its settings.
            var how = await client.HowItStoppedAsync().ConfigureAwait(false);
            await client.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"{name}: {program} exited before it read its settings ({e.Message}): {how}", e);
        }

        return client;
    }

    public Task StopAsync()
    {
        lock (_lock)
        {
            _stopping = true;
            return _stopped ??= StopProcessAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private async Task StopProcessAsync()
    {
        try
        {
            // The end of stdin is the writer's signal to stop; it finishes the write in flight and reports it.
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It has exited already.
        }

        using var limit = new CancellationTokenSource(StopLimit);
        try
        {
            await _process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await _reading.ConfigureAwait(false);
        await _errors.ConfigureAwait(false);
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            var fields = line.Split(' ', 3);
            if (fields is ["ok", var n, var at] && long.TryParse(n, CultureInfo.InvariantCulture, out var sequence) && long.TryParse(at, CultureInfo.InvariantCulture, out var atMs))
            {
                Writes.Acknowledged(sequence, atMs);
            }
            else if (fields.Length >= 2 && fields[0] == "err" && long.TryParse(fields[1], CultureInfo.InvariantCulture, out var failedMs))
            {
                Writes.Failed(failedMs, fields.Length == 3 ? fields[2] : "");
            }
            else
            {
                // A writer that prints anything else is broken; the first such line says how.
                _unexpected ??= line.Length > 200 ? line[..200] : line;
            }
        }
    }

    /// <summary>Its exit code, the first line it printed that is not a report, and the end of its error output.</summary>
    private string HowItExited()
    {
        var errors = _errors.IsCompletedSuccessfully ? _errors.Result.Trim() : "";
        return $"its process exited with code {_process.ExitCode}" + (_unexpected is null ? "" : $"; it printed \"{_unexpected}\"")
            + (errors.Length == 0 ? "" : $"; its error output ends: {Tail(errors)}");
    }

    private static string Tail(string text) => text.Length <= 1500 ? text : "…" + text[^1500..];
}
