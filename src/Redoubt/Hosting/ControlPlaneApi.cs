using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Redoubt.Api;
using Redoubt.Core;
using Redoubt.Core.ControlPlane;

namespace Redoubt.Hosting;

/// <summary>Maps the HTTP routes of the local API onto an <see cref="IControlPlane"/>; no logic of its own.</summary>
public static class ControlPlaneApi
{
    public static void MapControlPlane(this WebApplication app, IControlPlane controlPlane)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ControlPlaneApi).FullName!);
        app.Use((HttpContext context, RequestDelegate next) => HandleErrorsAsync(context, next, logger));

        app.MapPost(ApiPaths.Apply, async (HttpContext context, CancellationToken cancellationToken) =>
        {
            var request = await ReadApplyRequestAsync(context.Request, cancellationToken);
            if (request is null)
            {
                return Error(StatusCodes.Status400BadRequest, "the body must be JSON {\"yaml\": \"...\", \"fileName\": \"...\"}");
            }
            var result = await controlPlane.ApplyAsync(request.Yaml, request.FileName, cancellationToken);
            return Json(result, result.Succeeded ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
        });

        app.MapGet(ApiPaths.List, async (CancellationToken cancellationToken) =>
            Json(await controlPlane.ListAsync(cancellationToken)));

        app.MapGet(ApiPaths.ResourceTemplate, async (string ns, string name, CancellationToken cancellationToken) =>
            await controlPlane.GetAsync(ns, name, cancellationToken) is { } resource ? Json(resource) : NotFound(ns, name));

        app.MapDelete(ApiPaths.ResourceTemplate, async (string ns, string name, bool? keepData, CancellationToken cancellationToken) =>
            await controlPlane.DeleteAsync(ns, name, keepData ?? false, cancellationToken)
                ? Json(new { deleted = true, keepData = keepData ?? false })
                : NotFound(ns, name));

        app.MapPost(ApiPaths.FailoverTemplate, async (string ns, string name, string? to, CancellationToken cancellationToken) =>
        {
            if (await controlPlane.GetAsync(ns, name, cancellationToken) is null)
            {
                return NotFound(ns, name);
            }
            return Json(await controlPlane.FailoverAsync(ns, name, string.IsNullOrEmpty(to) ? null : to, cancellationToken));
        });

        app.MapPost(ApiPaths.RestartTemplate, async (string ns, string name, CancellationToken cancellationToken) =>
            await controlPlane.RestartAsync(ns, name, cancellationToken) is { } mark ? Json(new RestartAccepted(mark)) : NotFound(ns, name));

        app.MapPost(ApiPaths.RotatePasswordTemplate, async (string ns, string name, string? grace, CancellationToken cancellationToken) =>
        {
            var period = Core.Access.PasswordRotation.DefaultGrace;
            if (grace is not null && !Model.ResourceAnnotations.TryParseGrace(grace, out period))
            {
                return Error(StatusCodes.Status400BadRequest, $"grace: must be {Model.ResourceAnnotations.GraceText}, got \"{grace}\"");
            }

            return await controlPlane.RotatePasswordAsync(ns, name, period, cancellationToken) is { } request ? Json(new RotationAccepted(request)) : NotFound(ns, name);
        });

        // The password is in this response by design (the caller asked for credentials); it is never logged.
        app.MapGet(ApiPaths.CredentialsTemplate, async (string ns, string name, CancellationToken cancellationToken) =>
            await controlPlane.GetCredentialsAsync(ns, name, cancellationToken) is { } credentials ? Json(credentials) : NotFound(ns, name));

        app.MapPost(ApiPaths.BackupsTemplate, async (string ns, string name, int? keep, CancellationToken cancellationToken) =>
            await controlPlane.GetAsync(ns, name, cancellationToken) is null
                ? NotFound(ns, name)
                : Json(await controlPlane.BackupAsync(ns, name, keep, cancellationToken)));

        // Backups outlive their resource: listing them needs no resource.
        app.MapGet(ApiPaths.BackupsTemplate, async (string ns, string name, CancellationToken cancellationToken) =>
            Json(await controlPlane.ListBackupsAsync(ns, name, cancellationToken)));

        app.MapPost(ApiPaths.RestoreTemplate, async (string ns, string name, string? from, CancellationToken cancellationToken) =>
            string.IsNullOrEmpty(from)
                ? Error(StatusCodes.Status400BadRequest, "from: required, the backup to restore (ID, SOURCE/ID or NAMESPACE/SOURCE/ID)")
                : Json(await controlPlane.RestoreAsync(ns, name, from, cancellationToken)));

        app.MapUnknownRoutes();
    }

    private static void MapUnknownRoutes(this WebApplication app) =>
        app.MapFallback((HttpContext context) =>
            Error(StatusCodes.Status404NotFound, $"no route {context.Request.Method} {context.Request.Path}: is the command line the same version of redoubt as this control plane?"));

    private static async Task<ApplyRequest?> ReadApplyRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync<ApplyRequest>(request.Body, ApiJson.Options, cancellationToken);
            return body is { Yaml: not null, FileName: not null } ? body : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task HandleErrorsAsync(HttpContext context, RequestDelegate next, ILogger logger)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (RedoubtException exception)
        {
            await Error(StatusCodes.Status409Conflict, exception.Message).ExecuteAsync(context);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "{Method} {Path} failed", context.Request.Method, context.Request.Path.Value);
            await Error(StatusCodes.Status500InternalServerError, $"{exception.GetType().Name}: {exception.Message} (the control plane's log has details)")
                .ExecuteAsync(context);
        }
    }

    private static IResult Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(value, ApiJson.Options, statusCode: statusCode);

    private static IResult Error(int statusCode, string message) => Json(new ApiError(message), statusCode);

    private static IResult NotFound(string @namespace, string name) =>
        Error(StatusCodes.Status404NotFound, $"redis {@namespace}/{name} not found: list the resources with `redoubt get`");
}
