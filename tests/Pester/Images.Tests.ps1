#Requires -Version 7.6
# Images: Import-Image (with -Change), Get-Image (shape, lookup, format), Add-ImageTag, Remove-Image.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Root = Initialize-TestStore
    $script:Busybox = Get-Image busybox:latest -ErrorAction Stop

    function Get-LayerDirCount { @(Get-ChildItem -LiteralPath (Join-Path $script:Root 'layers') -Directory -ErrorAction Ignore).Count }
    function Get-TempEntryCount { @(Get-ChildItem -LiteralPath (Join-Path $script:Root 'tmp') -Force -ErrorAction Ignore).Count }
}

AfterAll {
    if ($script:Root) { Remove-TestStore -Root $script:Root }
}

Describe 'Import-Image' {
    It 'imports the busybox rootfs as a one-layer image tagged busybox:latest with CMD sh' {
        $script:Busybox | Should -Not -BeNullOrEmpty
        $script:Busybox.Repository | Should -Be 'busybox'
        $script:Busybox.Tag | Should -Be 'latest'
        $script:Busybox.LayerCount | Should -Be 1
        $script:Busybox.Command | Should -Be @('sh')
    }

    It 'applies -Change instructions to the image config and the containers made from it' {
        $changes = @(
            'ENV GREETING=hello TARGET=world'
            'WORKDIR /tmp'
            'LABEL team=qa tier=test'
            'EXPOSE 8080'
            'STOPSIGNAL SIGINT'
            'CMD ["sh", "-c", "echo $GREETING $TARGET from $(pwd)"]'
        )
        $image = Import-Image -Path $env:PSCONTAINER_TEST_ROOTFS -Tag changed:1 -Change $changes -ErrorAction Stop
        $image | Should -BeOfType ([PSContainer.Engine.Images.ImageInfo])
        $image.Name | Should -Be 'changed:1'
        $image.Environment | Should -Contain 'GREETING=hello'
        $image.Environment | Should -Contain 'TARGET=world'
        $image.WorkingDirectory | Should -Be '/tmp'
        $image.Labels['team'] | Should -Be 'qa'
        $image.Labels['tier'] | Should -Be 'test'
        $image.ExposedPorts | Should -Be @('8080/tcp')
        $image.Command | Should -Be @('sh', '-c', 'echo $GREETING $TARGET from $(pwd)')

        $output = Invoke-Container changed:1 -ErrorAction Stop
        $output | Should -Be 'hello world from /tmp'
    }

    It 'gives a shell-form CMD change /bin/sh -c, as a Dockerfile does' {
        $image = Import-Image -Path $env:PSCONTAINER_TEST_ROOTFS -Tag shellform:1 -Change 'CMD echo shell form' -ErrorAction Stop
        $image.Command | Should -Be @('/bin/sh', '-c', 'echo shell form')
        Invoke-Container shellform:1 -ErrorAction Stop | Should -Be 'shell form'
    }

    It 'rejects an unknown -Change instruction with InvalidImageChange and stores nothing' {
        $before = @(Get-Image).Count
        Import-Image -Path $env:PSCONTAINER_TEST_ROOTFS -Tag badchange:1 -Change 'FROB x' -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidImageChange,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-Image).Count | Should -Be $before
        Get-Image badchange:1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'reports a missing file as ImportFileNotFound' {
        Import-Image -Path '/nonexistent/rootfs.tar' -Tag missing:1 -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ImportFileNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'rejects a file that is not a tarball as InvalidData and leaves no image, layer or temp file behind' {
        $bad = Join-Path $script:Root 'not-a-tarball.tar'
        $bytes = [byte[]]::new(4096); [Random]::new(42).NextBytes($bytes)
        [IO.File]::WriteAllBytes($bad, $bytes)
        $imagesBefore = @(Get-Image).Count
        $layersBefore = Get-LayerDirCount

        Import-Image -Path $bad -Tag garbage:1 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        @(Get-Image).Count | Should -Be $imagesBefore
        Get-Image garbage:1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-LayerDirCount | Should -Be $layersBefore
        Get-TempEntryCount | Should -Be 0
    }

    It 'rejects a truncated gzip tarball and leaves no image, layer or temp file behind' {
        $full = [IO.File]::ReadAllBytes($env:PSCONTAINER_TEST_ROOTFS)
        $truncated = Join-Path $script:Root 'truncated.tar.gz'
        [IO.File]::WriteAllBytes($truncated, $full[0..([int]($full.Length / 2))])
        $imagesBefore = @(Get-Image).Count
        $layersBefore = Get-LayerDirCount

        Import-Image -Path $truncated -Tag truncated:1 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        @(Get-Image).Count | Should -Be $imagesBefore
        Get-LayerDirCount | Should -Be $layersBefore
        Get-TempEntryCount | Should -Be 0
    }

    It 'imports nothing with -WhatIf' {
        $before = @(Get-Image).Count
        Import-Image -Path $env:PSCONTAINER_TEST_ROOTFS -Tag whatif:1 -WhatIf | Should -BeNullOrEmpty
        @(Get-Image).Count | Should -Be $before
        Get-Image whatif:1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Get-Image' {
    It 'writes ImageInfo objects with a sha256 id, familiar names, a byte size and times' {
        $i = Get-Image busybox -ErrorAction Stop
        $i | Should -HaveCount 1
        $i | Should -BeOfType ([PSContainer.Engine.Images.ImageInfo])
        $i.Id | Should -Match '^sha256:[0-9a-f]{64}$'
        $i.ShortId | Should -Be $i.Id.Substring(7, 12)
        $i.Repository | Should -Be 'busybox'
        $i.Tag | Should -Be 'latest'
        $i.Name | Should -Be 'busybox:latest'
        $i.RepoTags | Should -Contain 'busybox:latest'
        $i.Size | Should -BeOfType ([long])
        $i.Size | Should -BeGreaterThan 500KB
        $i.Size | Should -BeLessThan 20MB
        $i.Created | Should -BeOfType ([DateTimeOffset])
        ([DateTimeOffset]::UtcNow - $i.Created).TotalHours | Should -BeLessThan 1
        $i.Os | Should -Be 'linux'
        $i.Architecture | Should -Not -BeNullOrEmpty
        $i.LayerCount | Should -Be 1
    }

    It 'finds an image by <Key>' -ForEach @(
        @{ Key = 'busybox' }
        @{ Key = 'busybox:latest' }
        @{ Key = 'docker.io/library/busybox:latest' }
        @{ Key = 'full id' }
        @{ Key = 'short id' }
        @{ Key = 'busy*' }
    ) {
        $query = switch ($Key) {
            'full id' { $script:Busybox.Id }
            'short id' { $script:Busybox.ShortId }
            default { $Key }
        }
        $found = @(Get-Image $query -ErrorAction Stop)
        $found.Count | Should -BeGreaterOrEqual 1
        $found.Id | Select-Object -Unique | Should -Be $script:Busybox.Id
    }

    It 'lists every image without arguments' {
        (Get-Image).Name | Should -Contain 'busybox:latest'
    }

    It 'reports an unknown image as ImageNotFound (ObjectNotFound) and goes on with the next name' {
        $found = Get-Image nosuchimage:1, busybox -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $found.Name | Should -Be 'busybox:latest'
    }

    It 'formats as a docker-images table' {
        $text = Get-Image busybox | Format-Table | Out-String -Width 200
        $lines = $text -split "`n" | Where-Object { $_.Trim() }
        # SIZE before CREATED, so that at 80 columns the size is never the column left out.
        $lines[0] | Should -Match '^REPOSITORY\s+TAG\s+IMAGE ID\s+SIZE\s+CREATED\s*$'
        $row = $lines | Where-Object { $_ -match '^busybox\s' }
        $row | Should -HaveCount 1
        $row | Should -Match "^busybox\s+latest\s+$($script:Busybox.ShortId)\s+\d+(\.\d+)?(kB|MB)\s+\d{4}-\d\d-\d\d \d\d:\d\d\s*$"
    }

    It 'formats without Format-Table as the same table by default' {
        $text = Get-Image busybox | Out-String -Width 200
        $text | Should -Match 'REPOSITORY\s+TAG\s+IMAGE ID'
        $text | Should -Not -Match 'RepoTags'
    }
}

Describe 'Add-ImageTag' {
    It 'adds a name to the same image' {
        Add-ImageTag busybox:latest extra:2 -ErrorAction Stop
        $tagged = Get-Image extra:2 -ErrorAction Stop
        $tagged.Id | Should -Be $script:Busybox.Id
        (Get-Image busybox).RepoTags | Should -Contain 'extra:2'
        @(Get-Image | Where-Object Id -EQ $script:Busybox.Id).Count | Should -Be 2
    }

    It 'takes the image from the pipeline and writes it with -PassThru' {
        $out = Get-Image busybox | Add-ImageTag -Tag piped:3 -PassThru -ErrorAction Stop
        $out.Name | Should -Be 'piped:3'
        $out.Id | Should -Be $script:Busybox.Id
    }
}

Describe 'Remove-Image' {
    It 'removes only the tag when the image has other tags' {
        Add-ImageTag busybox untag-me:1 -ErrorAction Stop
        Remove-Image untag-me:1 -ErrorAction Stop
        Get-Image untag-me:1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-Image busybox -ErrorAction Stop).Id | Should -Be $script:Busybox.Id
    }

    It 'removes an unused image with its last tag' {
        $image = Import-Image -Path $env:PSCONTAINER_TEST_ROOTFS -Tag unused:1 -Change 'CMD ["true"]' -ErrorAction Stop
        Remove-Image unused:1 -ErrorAction Stop
        Get-Image unused:1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-Image $image.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-Image busybox -ErrorAction Stop | Should -Not -BeNullOrEmpty
    }

    It 'removes images piped from Get-Image' {
        $null = Import-Image -Path $env:PSCONTAINER_TEST_ROOTFS -Tag piped-rm:1 -ErrorAction Stop
        Get-Image piped-rm:1 | Remove-Image -ErrorAction Stop
        Get-Image piped-rm:1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'removes nothing with -WhatIf' {
        $null = Import-Image -Path $env:PSCONTAINER_TEST_ROOTFS -Tag whatif-rm:1 -ErrorAction Stop
        Remove-Image whatif-rm:1 -WhatIf
        Get-Image whatif-rm:1 -ErrorAction Stop | Should -Not -BeNullOrEmpty
    }

    Context 'an image a container uses' {
        BeforeAll {
            $script:InUse = Import-Image -Path $env:PSCONTAINER_TEST_ROOTFS -Tag inuse:1 -Change 'CMD ["true"]' -ErrorAction Stop
            $script:User = New-Container inuse:1 -Name inuse-user -ErrorAction Stop
        }
        AfterAll {
            Remove-Container inuse-user -Force -ErrorAction SilentlyContinue
        }

        It 'refuses to remove it with ImageInUse (InvalidOperation)' {
            Remove-Image inuse:1 -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageInUse,*'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $err[0].Exception.Message | Should -Match 'inuse-user'
            (Get-Image inuse:1 -ErrorAction Stop).Id | Should -Be $script:InUse.Id
        }

        It 'refuses by id too' {
            Remove-Image $script:InUse.Id -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageInUse,*'
            Get-Image $script:InUse.Id -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty
        }

        It 'removes the name with -Force while the container still runs from its content' {
            Remove-Image inuse:1 -Force -ErrorAction Stop
            Get-Image inuse:1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $done = Start-Container inuse-user -Wait -PassThru -ErrorAction Stop
            $done.Status | Should -Be 'Exited'
            $done.ExitCode | Should -Be 0
        }
    }
}
