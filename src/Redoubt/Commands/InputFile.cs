using Redoubt.Core;

namespace Redoubt.Commands;

/// <summary>The command line reads files itself and sends their text, so the control plane never needs the user's paths.</summary>
public static class InputFile
{
    public const string StandardInput = "-";

    public static async Task<(string Text, string FileName)> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (path == StandardInput)
        {
            return (await Console.In.ReadToEndAsync(cancellationToken), "<stdin>");
        }
        if (Directory.Exists(path))
        {
            throw new RedoubtException($"{path} is a folder: give the YAML file with -f FILE");
        }
        try
        {
            return (await File.ReadAllTextAsync(path, cancellationToken), path);
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
}
