using System.Collections;
using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Transformations;

/// <summary>
/// Lets a ReadyCondition parameter take "Running" or "Healthy", a kind with its argument as a list
/// (<c>Port, 8080</c>; <c>Log, 'ready'</c>; <c>Command, 'test', '-f', '/ready'</c>), a one-entry hashtable
/// (<c>@{ Port = 8080 }</c>), a bare port number, or a ReadyCondition.
/// </summary>
public sealed class ReadyConditionTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        try
        {
            return Convert(Unwrap(inputData));
        }
        catch (EngineException ex)
        {
            throw new ArgumentTransformationMetadataException(ex.Message, ex);
        }
    }

    private static ReadyCondition Convert(object? value)
    {
        switch (value)
        {
            case ReadyCondition condition:
                return condition;
            case int or long or short or byte:
                return ReadyCondition.ForPort(LanguagePrimitives.ConvertTo<int>(value));
            case IDictionary { Count: 1 } table:
                var entry = table.Cast<DictionaryEntry>().Single();
                return Make(LanguagePrimitives.ConvertTo<string>(entry.Key), Items(entry.Value));
            case string text:
                return Make(text, []);
            case IEnumerable list:
                var items = list.Cast<object?>().Select(Unwrap).ToList();
                if (items.Count == 0) throw Invalid("an empty list");
                return Make(LanguagePrimitives.ConvertTo<string>(items[0]), items.Skip(1).ToList());
            default:
                throw Invalid(value?.ToString() ?? "null");
        }
    }

    private static ReadyCondition Make(string kindName, List<object?> arguments)
    {
        if (!Enum.TryParse<ReadyKind>(kindName, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
            throw Invalid(kindName);
        string Single() => arguments.Count == 1 && arguments[0] is not null ? LanguagePrimitives.ConvertTo<string>(arguments[0])
            : throw new EngineException("InvalidWaitCondition", EngineErrorKind.InvalidArgument, $"-WaitFor {kind} takes one argument: {kind}, <value>.", kindName);
        return kind switch
        {
            ReadyKind.Running or ReadyKind.Healthy when arguments.Count > 0 =>
                throw new EngineException("InvalidWaitCondition", EngineErrorKind.InvalidArgument, $"-WaitFor {kind} takes no argument.", kindName),
            ReadyKind.Running => ReadyCondition.Running,
            ReadyKind.Healthy => ReadyCondition.Healthy,
            ReadyKind.Port => ReadyCondition.ForPort(int.TryParse(Single(), out var port) ? port
                : throw new EngineException("InvalidPort", EngineErrorKind.InvalidArgument, $"'{arguments[0]}' is not a port number.", arguments[0])),
            ReadyKind.Log => ReadyCondition.ForLog(Single()),
            _ => ReadyCondition.ForCommand(arguments.Select(a => LanguagePrimitives.ConvertTo<string>(a) ?? "").ToList()),
        };
    }

    private static List<object?> Items(object? value) =>
        Unwrap(value) is IEnumerable list and not string ? list.Cast<object?>().Select(Unwrap).ToList() : [Unwrap(value)];

    private static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;

    private static EngineException Invalid(string what) =>
        new("InvalidWaitCondition", EngineErrorKind.InvalidArgument,
            $"Cannot wait for {what}: use Running, Healthy, Port, <n>, Log, <regex> or Command, <program>, <argument>….", what);
}
