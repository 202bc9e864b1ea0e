# Reports are rendered from the other apps' data; stored issued reports come with the reports issue.
