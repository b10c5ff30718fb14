using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Redoubt.Api;
using Redoubt.Core;
using Redoubt.Core.ControlPlane;
using Redoubt.Hosting;
using Redoubt.Model;

namespace Redoubt.Client;

/// <summary>The command line's view of a running control plane: the local API over the home's Unix socket.</summary>
public sealed class ControlPlaneClient : IControlPlane, IDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    // A planned switchover waits for a replica to catch up and for the Sentinels to agree.
    private static readonly TimeSpan SwitchoverTimeout = TimeSpan.FromMinutes(2);
    // A backup or a restore moves the whole dataset (a restore into a new resource also waits for it to be Ready).
    private static readonly TimeSpan DataTimeout = TimeSpan.FromMinutes(60);

    private readonly RedoubtHome _home;
    private readonly string _redoubt;
    private readonly HttpClient _http;

    /// <param name="redoubt">How the user runs redoubt against this home, for the commands error messages suggest.</param>
    public ControlPlaneClient(RedoubtHome home, string redoubt = "redoubt")
    {
        _home = home;
        _redoubt = redoubt;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = ConnectAsync,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        // The host name is never resolved: every connection goes to the socket.
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://redoubt"), Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<ApplyResult> ApplyAsync(string yaml, string fileName, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, ApiPaths.Apply, new ApplyRequest(yaml, fileName), CallTimeout, cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (TryRead<ApplyResult>(body) is { Errors.Count: > 0 } invalid)
            {
                return invalid;
            }
            throw new RedoubtException(ErrorMessage(body, response.StatusCode));
        }
        return await ReadAsync<ApplyResult>(response, cancellationToken);
    }

    public async Task<IReadOnlyList<RedisResource>> ListAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, ApiPaths.List, body: null, CallTimeout, cancellationToken);
        return await ReadAsync<List<RedisResource>>(response, cancellationToken);
    }

    public async Task<RedisResource?> GetAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, ApiPaths.Resource(@namespace, name), body: null, CallTimeout, cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<RedisResource>(response, cancellationToken);
    }

    public async Task<bool> DeleteAsync(string @namespace, string name, bool keepData, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, ApiPaths.Delete(@namespace, name, keepData), body: null, CallTimeout, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        await EnsureSuccessAsync(response, cancellationToken);
        return true;
    }

    public async Task<SwitchoverResult> FailoverAsync(string @namespace, string name, string? target, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, ApiPaths.Failover(@namespace, name, target), body: null, SwitchoverTimeout, cancellationToken);
        return await ReadAsync<SwitchoverResult>(response, cancellationToken);
    }

    public async Task<string?> RestartAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, ApiPaths.Restart(@namespace, name), body: null, CallTimeout, cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : (await ReadAsync<RestartAccepted>(response, cancellationToken)).RestartedAt;
    }

    public async Task<string?> RotatePasswordAsync(string @namespace, string name, TimeSpan grace, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, ApiPaths.RotatePassword(@namespace, name, grace), body: null, CallTimeout, cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : (await ReadAsync<RotationAccepted>(response, cancellationToken)).Request;
    }

    public async Task<Credentials?> GetCredentialsAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, ApiPaths.Credentials(@namespace, name), body: null, CallTimeout, cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<Credentials>(response, cancellationToken);
    }

    public async Task<BackupResult> BackupAsync(string @namespace, string name, int? keep, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, ApiPaths.Backups(@namespace, name, keep), body: null, DataTimeout, cancellationToken);
        return await ReadAsync<BackupResult>(response, cancellationToken);
    }

    public async Task<IReadOnlyList<Core.Backup.BackupManifest>> ListBackupsAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, ApiPaths.Backups(@namespace, name), body: null, CallTimeout, cancellationToken);
        return await ReadAsync<List<Core.Backup.BackupManifest>>(response, cancellationToken);
    }

    public async Task<RestoreResult> RestoreAsync(string @namespace, string name, string from, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, ApiPaths.Restore(@namespace, name, from), body: null, DataTimeout, cancellationToken);
        return await ReadAsync<RestoreResult>(response, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, object? body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!File.Exists(_home.SocketPath))
        {
            throw NotRunning();
        }
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: ApiJson.Options);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RedoubtException(
                $"the control plane on {_home} did not answer {method} {path} within {timeout.TotalSeconds:0} s: its log says what it is doing");
        }
        catch (HttpRequestException exception) when (exception.InnerException is SocketException { SocketErrorCode: SocketError.AccessDenied })
        {
            throw new RedoubtException($"cannot reach the control plane on {_home}: permission denied on {_home.SocketPath} (it belongs to another user)", exception);
        }
        catch (HttpRequestException exception) when (exception.InnerException is SocketException)
        {
            throw NotRunning(exception);
        }
        catch (HttpRequestException exception)
        {
            throw new RedoubtException($"the control plane on {_home} failed to answer {method} {path}: {exception.Message}", exception);
        }
    }

    private static async ValueTask<Stream> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken) =>
        ConnectAsync(_home.SocketPath, cancellationToken);

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return TryRead<T>(body)
            ?? throw new RedoubtException($"the control plane on {_home} sent an answer this command does not understand: is it the same version of redoubt?");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new RedoubtException(ErrorMessage(await response.Content.ReadAsStringAsync(cancellationToken), response.StatusCode));
        }
    }

    private static T? TryRead<T>(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, ApiJson.Options);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string ErrorMessage(string body, HttpStatusCode status) =>
        TryRead<ApiError>(body) is { Error: { Length: > 0 } message }
            ? message
            : $"the control plane answered {(int)status} {status}";

    private RedoubtException NotRunning(Exception? cause = null)
    {
        var message = $"no control plane is running on {_home}: start one with `{_redoubt} serve` (or use `{_redoubt} up -f FILE`)";
        return cause is null ? new RedoubtException(message) : new RedoubtException(message, cause);
    }
}
