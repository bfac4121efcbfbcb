from tests.factories import ChildFactory, SchoolClassFactory, UserFactory


def test_teacher_logs_in_and_sees_their_class(client, auth):
    teacher = UserFactory()
    school_class = SchoolClassFactory(teachers=[teacher])
    ChildFactory.create_batch(3, school_class=school_class)
    response = auth.login(teacher, follow=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert school_class.name in html
