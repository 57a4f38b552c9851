@{
    RootModule           = 'PSContainer.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0d5d1e-7a0c-4d55-9a4e-2b8f6c1e9a31'
    Author               = 'PSContainer developers'
    Copyright            = '(c) PSContainer developers. MIT License.'
    Description          = 'A daemonless container engine for PowerShell on Linux: images, containers, volumes and registries as cmdlets.'
    PowerShellVersion    = '7.6'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('PSContainer.Format.ps1xml')
    # Pester's Should operators for containers; registered only when Pester is loaded.
    NestedModules        = @('PSContainer.Assertions.psm1')
    CmdletsToExport      = @(
        'Get-Image', 'Import-Image', 'Export-Image', 'Remove-Image', 'Add-ImageTag', 'Receive-Image', 'Publish-Image', 'Find-Image',
        'Build-Image', 'Get-ImageHistory', 'ConvertTo-Image',
        'Get-Container', 'New-Container', 'Start-Container', 'Stop-Container', 'Restart-Container',
        'Suspend-Container', 'Resume-Container', 'Remove-Container', 'Wait-Container', 'Invoke-Container',
        'Get-ContainerLog', 'Rename-Container', 'Copy-ContainerItem', 'Export-Container', 'Get-ContainerChange',
        'Invoke-ContainerCommand', 'Enter-Container', 'Get-ContainerProcess', 'Measure-Container',
        'New-Volume', 'Get-Volume', 'Remove-Volume',
        'New-Network', 'Get-Network', 'Remove-Network', 'Connect-Network', 'Disconnect-Network',
        'Connect-Registry', 'Disconnect-Registry',
        'Get-ContainerEngine', 'Test-ContainerEngine',
        'Start-ComposeProject', 'Stop-ComposeProject', 'Restart-ComposeProject', 'Remove-ComposeProject', 'Get-ComposeProject', 'Get-ComposeConfig',
        'Start-ContainerApiServer', 'Stop-ContainerApiServer', 'Get-ContainerApiServer',
        'Set-Container', 'Start-ContainerEngine', 'Test-ContainerHealth', 'Use-Container'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @('pull-image')
    PrivateData          = @{ PSData = @{ Tags = @('containers', 'oci', 'linux', 'docker', 'podman'); LicenseUri = 'https://opensource.org/licenses/MIT' } }
}
