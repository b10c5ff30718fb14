using System.Globalization;
using System.Text;
using Redoubt.Core;

namespace Redoubt.Commands;

/// <summary>The command line reads files itself and sends their text, so the control plane never needs the user's paths.</summary>
public static class InputFile
{
    public const string StandardInput = "-";

    /// <summary>
    /// A resource file is a few hundred bytes, and its annotations may take 256 KiB: anything past 4 MiB is the wrong
    /// file, or a device that never ends (<c>-f /dev/zero</c> read until memory ran out).
    /// </summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    public static async Task<(string Text, string FileName)> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (path == StandardInput)
        {
            return (await ReadBoundedAsync(Console.OpenStandardInput(), "<stdin>", cancellationToken), "<stdin>");
        }
        if (Directory.Exists(path))
        {
            throw new RedoubtException($"{path} is a folder: give the YAML file with -f FILE");
        }
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous);
            return (await ReadBoundedAsync(stream, path, cancellationToken), path);
        }
        catch (FileNotFoundException)
        {
            throw new RedoubtException($"{path}: no such file");
        }
        catch (DirectoryNotFoundException)
        {
            throw new RedoubtException($"{path}: no such file (its folder does not exist)");
        }
        catch (UnauthorizedAccessException)
        {
            throw new RedoubtException($"{path}: permission denied");
        }
    }

    private static async Task<string> ReadBoundedAsync(Stream stream, string name, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        while (length < buffer.Length && await stream.ReadAsync(buffer.AsMemory(length), cancellationToken) is var read and > 0)
        {
            length += read;
        }

        if (length > MaxBytes)
        {
            throw new RedoubtException(string.Create(CultureInfo.InvariantCulture,
                $"{name}: more than {MaxBytes / (1024 * 1024)} MiB; a Redis resource file is a few hundred bytes: give the YAML file with -f FILE"));
        }

        // As File.ReadAllText does: a byte order mark says the encoding, UTF-8 otherwise.
        using var reader = new StreamReader(new MemoryStream(buffer, 0, length), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
