<#
.SYNOPSIS
    Writes the module's MAML help (en-US/PSContainer.dll-Help.xml) from the cmdlets' metadata, the
    assembly's XML documentation comments, and the examples in docs/help/<Verb-Noun>.md.
.DESCRIPTION
    Synopsis: the cmdlet class's summary. Parameter descriptions: the parameter properties' summaries.
    Description and examples: docs/help/<Verb-Noun>.md, with a "## Description" section and a
    "## Examples" section of "### Title" entries, each a fenced powershell block followed by remarks;
    an optional "## Related" section lists related cmdlets ("- Verb-Noun"), added to those of the same noun.
    A cmdlet without examples fails the build.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleDir,
    [Parameter(Mandatory)] [string] $DocsDir,
    [Parameter(Mandatory)] [string] $XmlDocPath
)
$ErrorActionPreference = 'Stop'

[xml] $xmlDoc = Get-Content $XmlDocPath
$summaries = @{}
foreach ($member in $xmlDoc.doc.members.member) {
    $text = ($member.SelectSingleNode('summary').InnerText -replace '\s+', ' ').Trim()
    $summaries[$member.name] = $text
}

function Escape([string] $text) { [Security.SecurityElement]::Escape($text) }

function Read-HelpDoc([string] $path) {
    $doc = @{ Description = ''; Examples = @(); Related = @() }
    if (-not (Test-Path $path)) { return $doc }
    $section = ''; $example = $null; $inCode = $false
    foreach ($line in Get-Content $path) {
        if (-not $inCode -and $line -match '^## (.+)$') { $section = $Matches[1]; continue }
        if ($section -eq 'Description') { $doc.Description += $line + "`n"; continue }
        if ($section -eq 'Related') { if ($line -match '^- (\S+)') { $doc.Related += $Matches[1] }; continue }
        if ($section -ne 'Examples') { continue }
        if (-not $inCode -and $line -match '^### (.+)$') {
            $example = @{ Title = $Matches[1]; Code = ''; Remarks = '' }; $doc.Examples += $example; continue
        }
        if ($line -match '^```') { $inCode = -not $inCode; continue }
        if ($null -eq $example) { continue }
        if ($inCode) { $example.Code += $line + "`n" } else { $example.Remarks += $line + "`n" }
    }
    return $doc
}

$module = Import-Module (Join-Path $ModuleDir 'PSContainer.psd1') -PassThru -Force
$common = [System.Management.Automation.Internal.CommonParameters].GetProperties().Name +
    [System.Management.Automation.Internal.ShouldProcessParameters].GetProperties().Name
$sb = [System.Text.StringBuilder]::new()
[void] $sb.AppendLine('<?xml version="1.0" encoding="utf-8"?>')
[void] $sb.AppendLine('<helpItems schema="maml" xmlns="http://msh">')
foreach ($command in (Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name)) {
    $type = $command.ImplementingType
    $synopsis = $summaries["T:$($type.FullName)"]
    $doc = Read-HelpDoc (Join-Path $DocsDir "$($command.Name).md")
    if ($doc.Examples.Count -eq 0) { throw "$($command.Name) has no examples in $DocsDir/$($command.Name).md" }
    [void] $sb.AppendLine('<command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10">')
    [void] $sb.AppendLine("<command:details><command:name>$($command.Name)</command:name><command:verb>$($command.Verb)</command:verb><command:noun>$($command.Noun)</command:noun><maml:description><maml:para>$(Escape $synopsis)</maml:para></maml:description></command:details>")
    $description = if ($doc.Description.Trim()) { $doc.Description.Trim() } else { $synopsis }
    [void] $sb.Append('<maml:description>')
    foreach ($para in ($description -split "`n\s*`n")) { [void] $sb.Append("<maml:para>$(Escape ($para -replace '\s+', ' ').Trim())</maml:para>") }
    [void] $sb.AppendLine('</maml:description>')

    $paramXml = @{}
    $inputs = [ordered]@{}
    foreach ($p in $command.Parameters.Values | Where-Object { $_.Name -notin $common }) {
        $attrs = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
        $mandatory = [bool]($attrs | Where-Object Mandatory)
        $pipeline = @()
        if ($attrs | Where-Object ValueFromPipeline) { $pipeline += 'ByValue' }
        if ($attrs | Where-Object ValueFromPipelineByPropertyName) { $pipeline += 'ByPropertyName' }
        $pipelineText = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
        $position = ($attrs | Where-Object { $_.Position -ge 0 } | Select-Object -First 1).Position
        $positionText = if ($null -ne $position) { "$position" } else { 'named' }
        $globbing = [bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
        $owner = $type
        while ($owner -and -not $owner.GetProperty($p.Name, [Reflection.BindingFlags]'Public,Instance,DeclaredOnly')) { $owner = $owner.BaseType }
        $desc = $summaries["P:$($owner.FullName).$($p.Name)"]
        $typeName = ([Nullable]::GetUnderlyingType($p.ParameterType) ?? $p.ParameterType).Name
        # A switch has no value: without a parameterValue element Get-Help shows it as [-Name].
        $value = if ($p.SwitchParameter) { '' } else { "<command:parameterValue required=`"true`">$typeName</command:parameterValue>" }
        $aliases = if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'None' }
        $paramXml[$p.Name] = "<command:parameter required=`"$($mandatory.ToString().ToLower())`" globbing=`"$($globbing.ToString().ToLower())`" pipelineInput=`"$pipelineText`" position=`"$positionText`" aliases=`"$(Escape $aliases)`"><maml:name>$($p.Name)</maml:name><maml:description><maml:para>$(Escape $desc)</maml:para></maml:description>$value<dev:type><maml:name>$($p.ParameterType.FullName)</maml:name></dev:type></command:parameter>"
        if ($pipeline) { $inputs[$p.ParameterType.FullName] = $p.Name }
    }
    [void] $sb.Append('<command:syntax>')
    foreach ($set in $command.ParameterSets) {
        [void] $sb.Append("<command:syntaxItem><maml:name>$($command.Name)</maml:name>")
        foreach ($sp in $set.Parameters | Where-Object { $_.Name -notin $common }) { [void] $sb.Append($paramXml[$sp.Name]) }
        [void] $sb.Append('</command:syntaxItem>')
    }
    [void] $sb.AppendLine('</command:syntax>')
    [void] $sb.AppendLine('<command:parameters>' + (($paramXml.Keys | Sort-Object | ForEach-Object { $paramXml[$_] }) -join '') + '</command:parameters>')
    # INPUTS: the types parameters take from the pipeline; OUTPUTS: the cmdlet's OutputType.
    [void] $sb.Append('<command:inputTypes>')
    if (-not $inputs.Count) { [void] $sb.Append('<command:inputType><dev:type><maml:name>None</maml:name></dev:type><maml:description><maml:para>This cmdlet takes no pipeline input.</maml:para></maml:description></command:inputType>') }
    foreach ($t in $inputs.Keys) {
        [void] $sb.Append("<command:inputType><dev:type><maml:name>$(Escape $t)</maml:name></dev:type><maml:description><maml:para>Binds to -$($inputs[$t]).</maml:para></maml:description></command:inputType>")
    }
    [void] $sb.Append('</command:inputTypes><command:returnValues>')
    $outputs = @($command.OutputType | ForEach-Object { $_.Type.FullName ?? $_.Name })
    if (-not $outputs) { $outputs = @('None') }
    foreach ($t in $outputs) { [void] $sb.Append("<command:returnValue><dev:type><maml:name>$(Escape $t)</maml:name></dev:type></command:returnValue>") }
    [void] $sb.Append('</command:returnValues>')
    [void] $sb.Append('<command:examples>')
    $i = 0
    foreach ($example in $doc.Examples) {
        $i++
        [void] $sb.Append("<command:example><maml:title>Example ${i}: $(Escape $example.Title)</maml:title><dev:code>$(Escape $example.Code.TrimEnd())</dev:code><dev:remarks><maml:para>$(Escape ($example.Remarks -replace '\s+', ' ').Trim())</maml:para></dev:remarks></command:example>")
    }
    [void] $sb.AppendLine('</command:examples>')
    # Related links: the "## Related" list of the docs page, the cmdlets of the same noun, the module's about topic.
    [void] $sb.Append('<maml:relatedLinks>')
    $sameNoun = Get-Command -Module $module.Name -Noun $command.Noun | Where-Object Name -ne $command.Name | Sort-Object Name
    foreach ($related in @($doc.Related) + @($sameNoun.Name) | Select-Object -Unique) {
        [void] $sb.Append("<maml:navigationLink><maml:linkText>$related</maml:linkText><maml:uri></maml:uri></maml:navigationLink>")
    }
    [void] $sb.Append('<maml:navigationLink><maml:linkText>about_PSContainer</maml:linkText><maml:uri></maml:uri></maml:navigationLink>')
    [void] $sb.AppendLine('</maml:relatedLinks>')
    [void] $sb.AppendLine('</command:command>')
}
[void] $sb.AppendLine('</helpItems>')
$helpDir = Join-Path $ModuleDir 'en-US'
New-Item -ItemType Directory -Force -Path $helpDir | Out-Null
[IO.File]::WriteAllText((Join-Path $helpDir 'PSContainer.dll-Help.xml'), $sb.ToString())
