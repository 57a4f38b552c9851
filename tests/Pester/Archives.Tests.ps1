#Requires -Version 7.6
# Archives: Export-Image writes docker-archive and oci-archive files that Import-Image loads into a second store,
# where the image runs; errors, -WhatIf and the pipeline behave as for the other image cmdlets.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # Initialize-TestStore moves the working directory into each new store; this is where to come back to.
    $script:StartDirectory = [Environment]::CurrentDirectory
    $script:Stores = [System.Collections.Generic.List[string]]::new()
    $script:Source = Initialize-TestStore
    $script:Stores.Add($script:Source)
    $script:Busybox = Get-Image busybox:latest -ErrorAction Stop
    $script:Work = (New-Item -ItemType Directory -Path (Join-Path $script:Source 'archives')).FullName

    # Switches every cmdlet to a fresh, empty store of its own. Each store is entered from the starting directory,
    # so that removing any of them leads back there.
    function Use-NewStore {
        [Environment]::CurrentDirectory = $script:StartDirectory
        $root = Initialize-TestStore -NoImage
        $script:Stores.Add($root)
        $root
    }
}

AfterAll {
    for ($i = $script:Stores.Count - 1; $i -ge 0; $i--) { Remove-TestStore -Root $script:Stores[$i] }
    [Environment]::CurrentDirectory = $script:StartDirectory
}

Describe 'Export-Image and Import-Image' {
    BeforeEach {
        $env:PSCONTAINER_ROOT = $script:Source
    }

    It 'round-trips a docker-archive into a second store, where the image runs' {
        $archive = Join-Path $script:Work 'busybox-docker.tar'
        Export-Image busybox:latest -Path $archive -ErrorAction Stop | Should -BeNullOrEmpty
        Test-Path -LiteralPath $archive | Should -BeTrue
        (& tar -tf $archive) | Should -Contain 'manifest.json'

        Use-NewStore | Out-Null
        $image = Import-Image -Path $archive -ErrorAction Stop
        $image | Should -BeOfType ([PSContainer.Engine.Images.ImageInfo])
        $image.Id | Should -Be $script:Busybox.Id
        $image.Name | Should -Be 'busybox:latest'
        $image.Command | Should -Be @('sh')
        Invoke-Container busybox echo ok -ErrorAction Stop | Should -Be 'ok'
    }

    It 'round-trips an oci-archive piped from Get-Image, and the image runs' {
        $archive = Join-Path $script:Work 'busybox-oci.tar'
        $file = Get-Image busybox:latest | Export-Image -Path $archive -Format OciArchive -PassThru -ErrorAction Stop
        $file | Should -BeOfType ([IO.FileInfo])
        $file.FullName | Should -Be $archive
        (& tar -tf $archive) | Should -Not -Contain 'manifest.json'

        Use-NewStore | Out-Null
        $image = $file | Import-Image -ErrorAction Stop
        $image.Id | Should -Be $script:Busybox.Id
        $image.Name | Should -Be 'busybox:latest'
        Invoke-Container busybox echo ok -ErrorAction Stop | Should -Be 'ok'
    }

    It 'puts several images in one archive and names each as it was named' {
        Add-ImageTag busybox:latest tools/box:1 -ErrorAction Stop
        $archive = Join-Path $script:Work 'two-names.tar'
        Export-Image busybox:latest, tools/box:1 -Path $archive -ErrorAction Stop

        Use-NewStore | Out-Null
        $images = @(Import-Image $archive -Tag extra:1 -ErrorAction Stop)
        $images | Should -HaveCount 1
        (Get-Image).Name | Sort-Object | Should -Be @('busybox:latest', 'extra:1', 'tools/box:1')
    }

    It 'reports an unknown image as ImageNotFound and exports the rest' {
        $archive = Join-Path $script:Work 'partial.tar'
        Export-Image busybox:latest, nosuch:1 -Path $archive -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
        Test-Path -LiteralPath $archive | Should -BeTrue
    }

    It 'writes nothing with -WhatIf' {
        $archive = Join-Path $script:Work 'whatif.tar'
        Export-Image busybox:latest -Path $archive -WhatIf
        Test-Path -LiteralPath $archive | Should -BeFalse
    }

    It 'refuses an archive that refers to a member it lacks, with InvalidData, and stores nothing' {
        $dir = New-Item -ItemType Directory -Path (Join-Path $script:Work 'bad') -Force
        Set-Content -LiteralPath (Join-Path $dir 'manifest.json') -Value '[{"Config":"config.json","RepoTags":["bad:1"],"Layers":["layer.tar"]}]'
        Set-Content -LiteralPath (Join-Path $dir 'config.json') -Value '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}'
        $archive = Join-Path $script:Work 'bad.tar'
        & tar -C $dir -cf $archive manifest.json config.json

        $root = Use-NewStore
        Import-Image $archive -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ArchiveMemberMissing,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        Get-Image | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath (Join-Path $root 'blobs/sha256')) | Should -HaveCount 0
    }
}
