using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Attribution.Tests.Architecture;

/// <summary>
/// Which types each type of a compiled assembly uses: base types, interfaces, fields, signatures, attributes,
/// locals and every type, method and field named by its IL. Compiler-generated nested types (closures, async
/// state machines, lambdas) count for the type that declares them.
/// </summary>
public sealed class AssemblyReferences
{
    private readonly Dictionary<string, HashSet<string>> _uses = new(StringComparer.Ordinal);

    private AssemblyReferences()
    {
    }

    /// <summary>Full name of each top-level type → full names of the types it uses (generic arguments included).</summary>
    public IReadOnlyDictionary<string, HashSet<string>> Uses => _uses;

    public static AssemblyReferences Read(string assemblyPath)
    {
        var result = new AssemblyReferences();
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        foreach (var type in module.Types)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            result.Collect(type, set);
            result._uses[type.FullName] = set;
        }

        return result;
    }

    private void Collect(TypeDefinition type, HashSet<string> set)
    {
        Add(type.BaseType, set);
        foreach (var i in type.Interfaces)
        {
            Add(i.InterfaceType, set);
        }

        Attributes(type.CustomAttributes, set);
        foreach (var field in type.Fields)
        {
            Add(field.FieldType, set);
            Attributes(field.CustomAttributes, set);
        }

        foreach (var property in type.Properties)
        {
            Add(property.PropertyType, set);
            Attributes(property.CustomAttributes, set);
        }

        foreach (var method in type.Methods)
        {
            Method(method, set);
        }

        foreach (var nested in type.NestedTypes)
        {
            Collect(nested, set);
        }
    }

    private void Method(MethodDefinition method, HashSet<string> set)
    {
        Add(method.ReturnType, set);
        Attributes(method.CustomAttributes, set);
        foreach (var p in method.Parameters)
        {
            Add(p.ParameterType, set);
        }

        if (!method.HasBody)
        {
            return;
        }

        foreach (var local in method.Body.Variables)
        {
            Add(local.VariableType, set);
        }

        foreach (var handler in method.Body.ExceptionHandlers)
        {
            Add(handler.CatchType, set);
        }

        foreach (var instruction in method.Body.Instructions)
        {
            switch (instruction.Operand)
            {
                case TypeReference t:
                    Add(t, set);
                    break;
                case MethodReference m:
                    Add(m.DeclaringType, set);
                    Add(m.ReturnType, set);
                    if (m is GenericInstanceMethod g)
                    {
                        foreach (var a in g.GenericArguments)
                        {
                            Add(a, set);
                        }
                    }

                    foreach (var p in m.Parameters)
                    {
                        Add(p.ParameterType, set);
                    }

                    break;
                case FieldReference f:
                    Add(f.DeclaringType, set);
                    Add(f.FieldType, set);
                    break;
            }
        }
    }

    private static void Attributes(IEnumerable<CustomAttribute> attributes, HashSet<string> set)
    {
        foreach (var a in attributes)
        {
            Add(a.AttributeType, set);
        }
    }

    private static void Add(TypeReference? type, HashSet<string> set)
    {
        switch (type)
        {
            case null:
            case GenericParameter:
                return;
            case GenericInstanceType g:
                Add(g.ElementType, set);
                foreach (var a in g.GenericArguments)
                {
                    Add(a, set);
                }

                return;
            case TypeSpecification s:
                Add(s.ElementType, set);
                return;
        }

        var outer = type;
        while (outer.DeclaringType is not null)
        {
            outer = outer.DeclaringType;
        }

        // Assembly-qualified enough to tell our types (scope = this module) from a package's.
        set.Add(outer.Scope is ModuleDefinition ? outer.FullName : $"[{outer.Scope.Name}]{outer.FullName}");
    }
}
